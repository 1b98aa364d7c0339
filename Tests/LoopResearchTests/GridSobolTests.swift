import LoopResearch
import LoopSupport
import Testing

@Suite struct GridSobolTests {
    @Test func gridCoversEveryCombinationOnce() throws {
        let space = try Space([Parameter("a", .choice([.string("x"), .string("y")])), Parameter("k", .integers(low: 1, high: 3, step: 1)),
                               Parameter("u", .uniform(low: 0, high: 1))])
        let sampler = GridSampler(resolution: 3)
        var history: [Observation] = []
        var rng = SeededRandom(seed: 0)
        while let c = sampler.propose(space: space, history: history, n: 1, rng: &rng).first {
            history.append(Observation(config: c, value: 0))
        }
        #expect(history.count == 2 * 3 * 3)
        #expect(Set(history.map(\.config)).count == 18)
        let us = Set(history.compactMap { o -> Double? in if case .double(let u) = o.config["u"] { return u } else { return nil } })
        #expect(us == [0, 0.5, 1])
    }

    @Test func gridOrderIsScrambledButComplete() throws {
        let space = try Space([Parameter("x", .uniform(low: 0, high: 1)), Parameter("y", .uniform(low: 0, high: 1))])
        var rng = SeededRandom(seed: 0)
        let plain = GridSampler(seed: nil).propose(space: space, history: [], n: 100, rng: &rng)
        let scrambled = GridSampler(seed: 3).propose(space: space, history: [], n: 100, rng: &rng)
        #expect(plain.count == 100 && Set(plain) == Set(scrambled))
        // The first ten plain points share x = 0; the scrambled ones spread over several x levels.
        #expect(Set(plain.prefix(10).map { $0["x"] }).count == 1)
        #expect(Set(scrambled.prefix(10).map { $0["x"] }).count >= 5)
    }

    @Test func gridDefaultResolutionAndLogSpacing() throws {
        let space = try Space([Parameter("lr", .logUniform(low: 1e-4, high: 1))])
        var rng = SeededRandom(seed: 0)
        let all = GridSampler().propose(space: space, history: [], n: 100, rng: &rng)
        #expect(all.count == 10)
        let lrs = all.compactMap { c -> Double? in if case .double(let x) = c["lr"] { return x } else { return nil } }.sorted()
        #expect(abs(lrs.first! - 1e-4) < 1e-12 && abs(lrs.last! - 1) < 1e-12)
        #expect(abs(lrs[1] / lrs[0] - lrs[2] / lrs[1]) < 1e-9)
    }

    @Test func gridCollapsesInactiveConditionals() throws {
        let space = try Space([Parameter("on", .choice([.bool(true), .bool(false)])),
                               Parameter("v", .integers(low: 0, high: 2, step: 1), when: Condition("on", .equal, .bool(true)))])
        var rng = SeededRandom(seed: 0)
        #expect(GridSampler().propose(space: space, history: [], n: 100, rng: &rng).count == 4)
    }

    @Test func plainSobolMatchesTheKnownSequence() {
        let s = SobolSequence(dimensions: 3, seed: nil)
        // Natural (not Gray-code) order: point i XORs the direction numbers of i's set bits.
        // Dimension 1: v = 1/2, 1/4; Joe–Kuo dimension 2 (s = 1): 1/2, 3/4; dimension 3 (m = 1, 3): 1/2, 3/4.
        let expected: [[Double]] = [[0, 0, 0], [0.5, 0.5, 0.5], [0.25, 0.75, 0.75], [0.75, 0.25, 0.25]]
        for (i, e) in expected.enumerated() {
            let p = s.point(UInt32(i))
            for d in 0..<3 { #expect(abs(p[d] - e[d]) < 1e-8, "point \(i) dim \(d): \(p[d])") }
        }
    }

    @Test(arguments: [nil, 1, 2] as [UInt64?])
    func sobolPointsAreStratified(seed: UInt64?) {
        // The first 2^m points of a (scrambled) Sobol sequence put exactly one point in each of the
        // 2^m equal slices of every coordinate, and (t = 0 for the first two coordinates) one in each
        // 8 × 8 cell of the first 64 points.
        let dims = SobolSampler.maxDimensions
        let s = SobolSequence(dimensions: dims, seed: seed)
        let points = (0..<64).map { s.point(UInt32($0)) }
        for d in 0..<dims {
            #expect(Set(points.map { Int($0[d] * 64) }).count == 64, "dimension \(d)")
        }
        #expect(Set(points.map { Int($0[0] * 8) * 8 + Int($0[1] * 8) }).count == 64)
    }

    @Test func scrambledSobolIsMoreEvenThanRandom() {
        // Star discrepancy proxy: the worst gap between the fraction of points in [0, a) × [0, b)
        // and its area, over a lattice of boxes.
        func discrepancy(_ pts: [[Double]]) -> Double {
            var worst = 0.0
            for i in 1...16 {
                for j in 1...16 {
                    let a = Double(i) / 16, b = Double(j) / 16
                    let inside = pts.filter { $0[0] < a && $0[4] < b }.count
                    worst = max(worst, abs(Double(inside) / Double(pts.count) - a * b))
                }
            }
            return worst
        }
        let sobol = SobolSequence(dimensions: 6, seed: 42)
        var rng = SeededRandom(seed: 42)
        let quasi = discrepancy((0..<128).map { sobol.point(UInt32($0)) })
        let random = discrepancy((0..<128).map { _ in (0..<6).map { _ in rng.uniform() } })
        #expect(quasi < 0.05)
        #expect(quasi < random)
    }

    @Test func sobolSamplerHandlesMoreDimensionsThanTheTable() throws {
        let space = try Space((0..<40).map { Parameter("p\($0)", .uniform(low: 0, high: 1)) })
        var rng = SeededRandom(seed: 0)
        let configs = SobolSampler(seed: 1).propose(space: space, history: [], n: 5, rng: &rng)
        #expect(configs.count == 5)
        for c in configs { #expect(space.contains(c)) }
    }
}
