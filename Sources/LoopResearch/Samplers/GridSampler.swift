import Foundation
import LoopSupport

/// Every combination of a finite set of levels per parameter, skipping what was tried.
///
/// The combinations are visited in a scrambled order fixed by `seed` (an affine permutation of
/// their indices), so a study stopped early has still seen every region of the grid, not one corner
/// of it; `seed: nil` visits them in plain order, last parameter fastest.
/// Categorical parameters contribute all their choices; integer ranges all their values (or
/// `resolution` evenly spaced ones if there are more); continuous ranges `resolution` evenly spaced
/// points including both ends (evenly in log for `loguniform`). Conditional parameters are dropped
/// where inactive, so grid points that differ only there collapse into one.
public struct GridSampler: Sampler {
    public var name: String { "grid" }
    /// Levels per continuous parameter; `nil` picks 10 for up to 4 continuous parameters and fewer
    /// beyond, keeping the grid near 10^4 points.
    public var resolution: Int?
    public var seed: UInt64?

    public init(resolution: Int? = nil, seed: UInt64? = 0) {
        self.resolution = resolution
        self.seed = seed
    }

    public func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        let levels = self.levels(for: space)
        var batch = ProposalBatch(history: history, allowRepeat: allowRepeat)
        // With repeats allowed, continue the grid after the points already visited.
        var index = allowRepeat ? history.count : 0
        var total = 1
        for l in levels {
            let (product, overflow) = total.multipliedReportingOverflow(by: l.count)
            total = overflow ? Int.max : product
        }
        var visited = 0
        while batch.configs.count < n && visited < total {
            var rest = permuted(index % total, total: total)
            var point = [Double](repeating: 0, count: levels.count)
            for d in stride(from: levels.count - 1, through: 0, by: -1) {  // last parameter varies fastest
                point[d] = levels[d][rest % levels[d].count]
                rest /= levels[d].count
            }
            batch.add(space.config(fromUnit: point))
            index += 1
            visited += 1
        }
        return batch.configs
    }

    /// Position → grid index, a bijection of `0..<total`: i ↦ (a·i + c) mod total with a coprime to
    /// total and near total/φ, which spreads consecutive positions across the grid.
    func permuted(_ i: Int, total: Int) -> Int {
        guard let seed, total > 2 else { return i }
        var rng = SeededRandom(seed: seed)
        let t = UInt64(total)
        var a = UInt64(Double(total) * 0.6180339887498949) | 1
        a = a % t == 0 ? 1 : a % t
        while gcd(a, t) != 1 { a += 1 }
        let c = rng.next() % t
        let (high, low) = a.multipliedFullWidth(by: UInt64(i))
        let product = t.dividingFullWidth((high, low)).remainder
        return Int((product % t + c) % t)
    }

    private func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : gcd(b, a % b) }

    /// The levels of each parameter in unit coordinates (choice indices for categoricals).
    func levels(for space: Space) -> [[Double]] {
        let continuous = space.parameters.filter { $0.distribution.count == nil }.count
        let r = max(2, resolution ?? min(10, max(3, Int(pow(10_000.0, 1.0 / Double(max(continuous, 1)))))))
        return space.parameters.map { p in
            switch p.distribution {
            case .choice(let values):
                return values.indices.map(Double.init)
            case .integers:
                let count = p.distribution.count!
                let k = min(count, max(r, count <= 32 ? count : r))
                // Pick k of the count buckets evenly, ends included.
                return (0..<k).map { i in
                    let bucket = k == 1 ? 0 : Int((Double(i) * Double(count - 1) / Double(k - 1)).rounded())
                    return (Double(bucket) + 0.5) / Double(count)
                }
            case .uniform(let a, let b), .logUniform(let a, let b):
                if a == b { return [0.5] }
                return (0..<r).map { Double($0) / Double(r - 1) }
            }
        }
    }
}
