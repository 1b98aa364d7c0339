/// A random forest of regression trees on points in [0, 1]^d, the model fANOVA decomposes
/// (as Optuna's default importance evaluator does, with scikit-learn's forest): each tree grows
/// on a bootstrap sample, splitting at the midpoint that most reduces the squared error, until a
/// leaf is pure, holds one point, or the depth limit is reached.
struct RegressionForest {
    /// A tree as its leaves: each a box of [0, 1]^d and the mean value of its points.
    struct Leaf {
        var low: [Double]
        var high: [Double]
        var value: Double
    }

    let trees: [[Leaf]]

    init(points: [[Double]], values: [Double], trees count: Int = 64, maxDepth: Int = 64, seed: UInt64) {
        precondition(points.count == values.count && !points.isEmpty)
        var rng = SeededRandom(seed: seed)
        let n = points.count
        var trees: [[Leaf]] = []
        for _ in 0..<count {
            let sample = (0..<n).map { _ in Int(rng.next() % UInt64(n)) }
            var leaves: [Leaf] = []
            let d = points[0].count
            RegressionForest.grow(sample, points: points, values: values, low: Array(repeating: 0, count: d),
                                  high: Array(repeating: 1, count: d), depth: maxDepth, into: &leaves)
            trees.append(leaves)
        }
        self.trees = trees
    }

    private static func grow(_ indices: [Int], points: [[Double]], values: [Double], low: [Double], high: [Double],
                             depth: Int, into leaves: inout [Leaf]) {
        let mean = indices.reduce(0) { $0 + values[$1] } / Double(indices.count)
        guard depth > 0, indices.count > 1, let split = bestSplit(indices, points: points, values: values) else {
            leaves.append(Leaf(low: low, high: high, value: mean))
            return
        }
        let left = indices.filter { points[$0][split.feature] <= split.threshold }
        let right = indices.filter { points[$0][split.feature] > split.threshold }
        var leftHigh = high, rightLow = low
        leftHigh[split.feature] = split.threshold
        rightLow[split.feature] = split.threshold
        grow(left, points: points, values: values, low: low, high: leftHigh, depth: depth - 1, into: &leaves)
        grow(right, points: points, values: values, low: rightLow, high: high, depth: depth - 1, into: &leaves)
    }

    /// The feature and threshold whose split leaves the least squared error, if any split helps.
    private static func bestSplit(_ indices: [Int], points: [[Double]], values: [Double]) -> (feature: Int, threshold: Double)? {
        let d = points[indices[0]].count
        let total = indices.reduce(0) { $0 + values[$1] }
        let totalSquares = indices.reduce(0) { $0 + values[$1] * values[$1] }
        let n = Double(indices.count)
        let parentError = totalSquares - total * total / n
        guard parentError > 1e-12 * max(1, abs(totalSquares)) else { return nil }
        var best: (feature: Int, threshold: Double, error: Double)?
        for f in 0..<d {
            let sorted = indices.sorted { points[$0][f] < points[$1][f] }
            var leftSum = 0.0, leftSquares = 0.0
            for k in 0..<(sorted.count - 1) {
                let v = values[sorted[k]]
                leftSum += v
                leftSquares += v * v
                let here = points[sorted[k]][f], next = points[sorted[k + 1]][f]
                guard next > here else { continue }
                let nl = Double(k + 1), nr = n - nl
                let rightSum = total - leftSum, rightSquares = totalSquares - leftSquares
                let error = (leftSquares - leftSum * leftSum / nl) + (rightSquares - rightSum * rightSum / nr)
                if error < (best?.error ?? parentError) - 1e-12 { best = (f, (here + next) / 2, error) }
            }
        }
        return best.map { ($0.feature, $0.threshold) }
    }
}
