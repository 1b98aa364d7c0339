import LoopSupport

/// How much of the variation in a study's results each parameter accounts for: fANOVA (Hutter,
/// Hoos and Leyton-Brown, 2014) on a random forest, the evaluator Optuna uses by default.
///
/// A forest is fitted to the configurations (unit coordinates; a choice of k values maps its
/// i-th value to (i + 0.5) / k, so every choice has the same share of [0, 1]) and their values.
/// For each tree, the variance of its prediction over the uniform measure on [0, 1]^d is split
/// by the functional ANOVA; a parameter's importance is the variance of the tree's marginal
/// prediction along it, as a fraction of the tree's total variance, averaged over the trees and
/// normalised to sum to 1. Interactions are not reported (as in Optuna).
public enum Importance {
    /// At most this many trials are fitted (a seeded random sample of them beyond that), which
    /// keeps a 10,000-trial study well under a second.
    public static let maxTrials = 1500

    /// Importances by parameter name, largest first. Only parameters active in every complete
    /// trial with a value are evaluated (conditional ones are left out, as Optuna does);
    /// `values` are the objective values (any direction: variance does not care).
    public static func fanova(space: Space, configs: [Config], values: [Double], trees: Int = 64, seed: UInt64 = 0,
                              limit: Int = maxTrials) -> [(name: String, importance: Double)] {
        precondition(configs.count == values.count)
        let rows = zip(configs, values).filter { $0.1.isFinite }
        guard rows.count >= 2 else { return [] }
        let active = space.parameters.filter { p in rows.allSatisfy { $0.0[p.name] != nil } }
        guard !active.isEmpty else { return [] }
        var points: [[Double]] = rows.map { config, _ in
            active.map { p in
                let u = p.distribution.encode(config[p.name]!) ?? 0.5
                if case .choice(let choices) = p.distribution { return (u + 0.5) / Double(choices.count) }
                return u
            }
        }
        var ys = rows.map(\.1)
        if points.count > limit {
            var rng = SeededRandom(seed: seed ^ 0x5EED)
            var order = Array(points.indices)
            order.shuffle(using: &rng)
            let kept = order.prefix(limit)
            points = kept.map { points[$0] }
            ys = kept.map { ys[$0] }
        }
        let forest = RegressionForest(points: points, values: ys, trees: trees, seed: seed)
        var sums = Array(repeating: 0.0, count: active.count)
        var counted = 0
        for leaves in forest.trees {
            guard let fractions = marginalFractions(leaves, dimensions: active.count) else { continue }
            for i in sums.indices { sums[i] += fractions[i] }
            counted += 1
        }
        let total = sums.reduce(0, +)
        return zip(active.map(\.name), sums.map { counted > 0 && total > 0 ? $0 / total : 0 })
            .map { (name: $0.0, importance: $0.1) }
            .sorted { $0.importance > $1.importance }
    }

    /// For one tree: each dimension's marginal variance as a fraction of the total, or nil for a
    /// tree that predicts a constant.
    static func marginalFractions(_ leaves: [RegressionForest.Leaf], dimensions d: Int) -> [Double]? {
        let volumes = leaves.map { leaf in (0..<d).reduce(1.0) { $0 * (leaf.high[$1] - leaf.low[$1]) } }
        let mean = zip(leaves, volumes).reduce(0) { $0 + $1.0.value * $1.1 }
        let variance = zip(leaves, volumes).reduce(0) { $0 + $1.1 * ($1.0.value - mean) * ($1.0.value - mean) }
        guard variance > 1e-15 else { return nil }
        return (0..<d).map { i in
            // The marginal along i is piecewise constant between the leaves' edges on i: add each
            // leaf's value, weighted by its volume in the other dimensions, to the pieces it covers.
            let edges = Array(Set(leaves.flatMap { [$0.low[i], $0.high[i]] })).sorted()
            guard edges.count > 1 else { return 0 }
            var delta = Array(repeating: 0.0, count: edges.count)
            for (leaf, volume) in zip(leaves, volumes) {
                let width = leaf.high[i] - leaf.low[i]
                guard width > 0 else { continue }
                let weight = leaf.value * volume / width
                delta[binarySearch(edges, leaf.low[i])] += weight
                delta[binarySearch(edges, leaf.high[i])] -= weight
            }
            var marginal = 0.0, spread = 0.0
            for j in 0..<(edges.count - 1) {
                marginal += delta[j]
                spread += (edges[j + 1] - edges[j]) * (marginal - mean) * (marginal - mean)
            }
            return spread / variance
        }
    }

    private static func binarySearch(_ sorted: [Double], _ x: Double) -> Int {
        var low = 0, high = sorted.count - 1
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < x { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
