/// Reference and Looplab measured alternately, round after round, and each case reported as its
/// median over the rounds.
///
/// Why: these machines are shared, and their speed drifts by tens of percent over tens of seconds.
/// Measuring the whole reference first and Looplab afterwards put the two sides in different
/// phases of that drift (the same build measured 1.4× and 2.4× PyTorch minutes apart);
/// alternating and taking medians lets both sides see the same machine.
enum Rounds {
    struct Measured {
        var name: String
        var value: Double
        var unit: String
    }

    /// Runs `rounds` rounds of `reference(round)` then `looplab(round)`. A reference that fails is
    /// not retried. Returns each Looplab case's median (in first-seen order) and the reference's
    /// medians (or why it was not measured).
    static func measure(
        rounds: Int,
        reference: (_ round: Int) -> Result<[String: Double], PythonReference.Skipped>,
        looplab: (_ round: Int) -> [Measured]
    ) -> (looplab: [Measured], reference: Result<[String: Double], PythonReference.Skipped>) {
        var ours: [String: [Double]] = [:], order: [(String, String)] = []
        var theirs: [String: [Double]] = [:]
        var failure: PythonReference.Skipped?
        for round in 0..<max(rounds, 1) {
            if failure == nil {
                switch reference(round) {
                case .success(let values): for (name, v) in values { theirs[name, default: []].append(v) }
                case .failure(let skipped): failure = skipped
                }
            }
            for m in looplab(round) {
                if ours[m.name] == nil { order.append((m.name, m.unit)) }
                ours[m.name, default: []].append(m.value)
            }
        }
        let medians = order.map { name, unit in Measured(name: name, value: median(ours[name]!), unit: unit) }
        if let failure, theirs.isEmpty { return (medians, .failure(failure)) }
        return (medians, .success(theirs.mapValues(median)))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
