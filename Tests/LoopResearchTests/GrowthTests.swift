import LoopResearch
import LoopSupport
import Testing

@Suite struct GrowthTests {
    @Test(arguments: Strategy.allCases)
    func oldTrialsStayUsableAfterTheSpaceGrows(strategy: Strategy) throws {
        let old = try Space([Parameter("x", .uniform(low: 0, high: 1)), Parameter("c", .choice([.string("a"), .string("b")]))])
        let objective = { (c: Config) -> Double in
            guard case .double(let x) = c["x"] else { return 9 }
            var v = (x - 0.3) * (x - 0.3)
            if c["c"] == .string("b") { v += 0.5 }
            if case .int(let k) = c["k"] { v += Double(k) * 0.01 }
            return v
        }
        let sampler = strategy.makeSampler(seed: 3)
        var history = runStudy(sampler, space: old, trials: 14, seed: 2, objective: objective)
        let grown = try old.adding(Parameter("k", .integers(low: 0, high: 5, step: 1))).addingChoice(.string("z"), to: "c")
        try grown.checkGrowth(from: old)
        // Old trials lack `k`: still members of the old space, and fed as history to the new one.
        for o in history { #expect(old.contains(o.config)) }
        var rng = SeededRandom(seed: 5)
        for _ in 0..<6 {
            guard let c = sampler.propose(space: grown, history: history, n: 1, rng: &rng).first else { break }
            #expect(grown.contains(c), "\(strategy): \(c)")
            #expect(c["k"] != nil)
            history.append(Observation(config: c, value: objective(c)))
        }
        #expect(history.count == 20)
    }
}
