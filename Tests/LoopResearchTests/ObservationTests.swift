import Foundation
import LoopResearch
import LoopSupport
import Testing

/// What a study hands its sampler, and what the default strategy (`gp_per_second`) makes of it:
/// beside the value it models each trial's seconds, which a study measures, so it maximises
/// expected improvement per second.
@Suite struct ObservationTests {
    let space = try! Space([Parameter("x", .uniform(low: 0, high: 1)), Parameter("y", .uniform(low: 0, high: 1))])

    /// Random trials whose value does not depend on x while their cost grows 50-fold along it.
    func history(_ count: Int, seed: UInt64, cost: ((Double) -> Double)?) -> [Observation] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let x = rng.uniform(), y = rng.uniform()
            return Observation(config: Config(["x": .double(x), "y": .double(y)]), value: (y - 0.5) * (y - 0.5), cost: cost?(x))
        }
    }

    func x(_ c: Config) -> Double {
        guard case .double(let x) = c["x"] else { return .nan }
        return x
    }

    func proposals(_ sampler: GPSampler, _ history: [Observation], seeds: Range<UInt64>) -> [Config] {
        seeds.flatMap { seed in
            var rng = SeededRandom(seed: seed)
            return sampler.propose(space: space, history: history, n: 1, rng: &rng)
        }
    }

    @Test func cheapConfigurationsComeFirstWhenTheyAreAsPromising() {
        let h = history(20, seed: 1, cost: { 0.1 * exp(4 * $0) })
        let perSecond = proposals(GPSampler(costAware: true), h, seeds: 0..<8).map(x)
        let plain = proposals(GPSampler(), h, seeds: 0..<8).map(x)
        let mean = { (xs: [Double]) in xs.reduce(0, +) / Double(xs.count) }
        #expect(perSecond.count == 8 && plain.count == 8)
        #expect(mean(perSecond) < 0.2, "EI per second should pick cheap x: \(perSecond)")
        #expect(mean(perSecond) < mean(plain) - 0.15, "per second \(perSecond), plain \(plain)")
    }

    @Test func withoutCostsOrWithEqualCostsItIsPlainExpectedImprovement() {
        for cost in [nil, { (_: Double) in 2.0 }, { (x: Double) in 1 + 0.01 * x }] as [((Double) -> Double)?] {
            let h = history(15, seed: 3, cost: cost)
            #expect(proposals(GPSampler(costAware: true), h, seeds: 0..<3) == proposals(GPSampler(), h, seeds: 0..<3))
        }
        // Too few trials with a cost: also plain EI.
        var few = history(15, seed: 3, cost: nil)
        for i in 0..<5 { few[i].cost = Double(i + 1) }
        #expect(proposals(GPSampler(costAware: true), few, seeds: 0..<3) == proposals(GPSampler(), few, seeds: 0..<3))
    }

    @Test func theDefaultStrategyIsExpectedImprovementPerSecond() {
        #expect(Strategy.default == .gpPerSecond)
        #expect(Strategy(rawValue: "gp_per_second") == .gpPerSecond)
        #expect(Strategy.default.makeSampler().name == "gp_per_second")
        #expect(Strategy.gp.makeSampler().name == "gp")
    }

    @Test func aStudyMeasuresTheSecondsOfEachTrialItRuns() throws {
        let clock = ManualClock()
        let declaration = StudyDeclaration(name: "timed", space: space, goal: .minimize("loss"), strategy: .random, seed: 1,
                                           guardrails: Guardrails(maxTrials: 3))
        let study = try Study(declaration, store: InMemoryStudyStore(), now: clock.now)
        for (i, seconds) in [2.0, 0.5, 7.0].enumerated() {
            let t = try #require(try study.next())
            clock.seconds += seconds
            if i == 1 { try study.fail(t.id, error: "boom") } else { try study.complete(t.id, metrics: ["loss": Double(i)]) }
        }
        #expect(study.trials.map(\.seconds) == [2.0, 0.5, 7.0])
        // Only completed trials teach the cost model (a failed or pruned run stopped early).
        #expect(study.observations().map(\.cost) == [2.0, nil, 7.0])
    }

    /// Running trials are pending (the GP places them at its prediction); a pruned trial counts
    /// at the worst complete value (its pruner judged it worse than its peers); a failed one is
    /// tried without a value.
    @Test func eachStatusIsHandedOverForWhatItSays() throws {
        let declaration = StudyDeclaration(name: "statuses", space: space, goal: .maximize("accuracy"), strategy: .random, seed: 1,
                                           guardrails: Guardrails(maxTrials: 6))
        let study = try Study(declaration, store: InMemoryStudyStore(), now: ManualClock().now)
        var ids: [Int64] = []
        for _ in 0..<5 { ids.append(try #require(try study.next()).id) }
        try study.complete(ids[0], metrics: ["accuracy": 0.9])
        try study.complete(ids[1], metrics: ["accuracy": 0.6])
        try study.fail(ids[2], error: "pruned", status: .pruned)
        try study.fail(ids[3], error: "boom")
        let o = study.observations()
        // Maximised accuracy is minimised as its negative: the worst complete value is -0.6.
        #expect(o.map(\.value) == [-0.9, -0.6, -0.6, nil, nil])
        #expect(o.map(\.pending) == [false, false, false, false, true])
        // Without a complete trial a pruned one has no value to take.
        let early = try Study(StudyDeclaration(name: "early", space: space, goal: .minimize("loss"), strategy: .random, seed: 1,
                                               guardrails: Guardrails(maxTrials: 2)), store: InMemoryStudyStore(), now: ManualClock().now)
        try early.fail(try #require(try early.next()).id, error: "pruned", status: .pruned)
        #expect(early.observations().map(\.value) == [nil] && early.observations().map(\.pending) == [false])
    }
}
