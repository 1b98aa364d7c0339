import LoopSupport

/// A random forest of regression trees on points in [0, 1]^d, the model fANOVA decomposes
/// (as Optuna's default importance evaluator does, with scikit-learn's forest): each tree grows
/// on a bootstrap sample, splitting at the midpoint that most reduces the squared error, until a
/// leaf is pure, holds one point, or the depth limit is reached.
///
/// Each tree sorts its sample once per dimension and hands every node its points in that order
/// (split stably into the children), so finding a split is one pass per dimension.
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
        let n = points.count, d = points[0].count
        var trees: [[Leaf]] = []
        for _ in 0..<count {
            // The bootstrap sample, as flat columns: x[f][slot], y[slot].
            let sample = (0..<n).map { _ in Int(rng.next() % UInt64(n)) }
            let tree = Tree(x: (0..<d).map { f in sample.map { points[$0][f] } }, y: sample.map { values[$0] })
            let orders = (0..<d).map { f in (0..<n).sorted { tree.x[f][$0] < tree.x[f][$1] } }
            var leaves: [Leaf] = []
            tree.grow(orders, low: Array(repeating: 0, count: d), high: Array(repeating: 1, count: d), depth: maxDepth, into: &leaves)
            trees.append(leaves)
        }
        self.trees = trees
    }

    private final class Tree {
        let x: [[Double]]
        let y: [Double]
        /// Scratch: which side of the current split each slot goes to.
        var goesLeft: [Bool]

        init(x: [[Double]], y: [Double]) {
            self.x = x
            self.y = y
            goesLeft = Array(repeating: false, count: y.count)
        }

        /// Grows the node holding `orders[f]` (its slots sorted by dimension f).
        func grow(_ orders: [[Int]], low: [Double], high: [Double], depth: Int, into leaves: inout [Leaf]) {
            let slots = orders[0]
            let mean = slots.reduce(0) { $0 + y[$1] } / Double(slots.count)
            guard depth > 0, slots.count > 1, let split = bestSplit(orders) else {
                leaves.append(Leaf(low: low, high: high, value: mean))
                return
            }
            for s in slots { goesLeft[s] = x[split.feature][s] <= split.threshold }
            var left: [[Int]] = [], right: [[Int]] = []
            for order in orders {
                var l: [Int] = [], r: [Int] = []
                l.reserveCapacity(order.count)
                r.reserveCapacity(order.count)
                for s in order { if goesLeft[s] { l.append(s) } else { r.append(s) } }
                left.append(l)
                right.append(r)
            }
            var leftHigh = high, rightLow = low
            leftHigh[split.feature] = split.threshold
            rightLow[split.feature] = split.threshold
            grow(left, low: low, high: leftHigh, depth: depth - 1, into: &leaves)
            grow(right, low: rightLow, high: high, depth: depth - 1, into: &leaves)
        }

        /// The dimension and threshold whose split leaves the least squared error, if any helps.
        func bestSplit(_ orders: [[Int]]) -> (feature: Int, threshold: Double)? {
            let slots = orders[0]
            let total = slots.reduce(0) { $0 + y[$1] }
            let totalSquares = slots.reduce(0) { $0 + y[$1] * y[$1] }
            let n = Double(slots.count)
            let parentError = totalSquares - total * total / n
            guard parentError > 1e-12 * max(1, abs(totalSquares)) else { return nil }
            var best: (feature: Int, threshold: Double, error: Double)?
            for (f, order) in orders.enumerated() {
                let column = x[f]
                var leftSum = 0.0, leftSquares = 0.0
                for k in 0..<(order.count - 1) {
                    let v = y[order[k]]
                    leftSum += v
                    leftSquares += v * v
                    let here = column[order[k]], next = column[order[k + 1]]
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
}
