import LoopResearch
import LoopSupport
import Testing

@Suite struct SamplerTests {
    static let strategies = Strategy.allCases

    @Test(arguments: strategies)
    func proposalsAreValidConfigurations(strategy: Strategy) throws {
        let space = try mixedSpace()
        let sampler = strategy.makeSampler(seed: 7)
        let history = runStudy(sampler, space: space, trials: 24, seed: 3, objective: mixedObjective)
        #expect(history.count == 24)
        for o in history { #expect(space.contains(o.config), "\(strategy): \(o.config)") }
        var rng = SeededRandom(seed: 11)
        let batch = sampler.propose(space: space, history: history, n: 4, rng: &rng)
        #expect(batch.count == 4)
        for c in batch { #expect(space.contains(c)) }
    }

    @Test(arguments: strategies)
    func sameSeedSameProposals(strategy: Strategy) throws {
        let space = try mixedSpace()
        let a = runStudy(strategy.makeSampler(seed: 5), space: space, trials: 16, seed: 9, objective: mixedObjective)
        let b = runStudy(strategy.makeSampler(seed: 5), space: space, trials: 16, seed: 9, objective: mixedObjective)
        #expect(a == b)
        if strategy != .grid {  // the grid is the same whatever the seed
            let c = runStudy(strategy.makeSampler(seed: 6), space: space, trials: 16, seed: 10, objective: mixedObjective)
            #expect(a != c)
        }
    }

    @Test(arguments: strategies)
    func neverRepeatsOnASmallDiscreteSpace(strategy: Strategy) throws {
        let space = try Space([Parameter("a", .integers(low: 0, high: 4, step: 1)), Parameter("b", .choice([.string("x"), .string("y"), .string("z")]))])
        let history = runStudy(strategy.makeSampler(), space: space, trials: 15, seed: 1) { c in
            guard case .int(let a) = c["a"] else { return 0 }
            return Double((a - 2) * (a - 2)) + (c["b"] == .string("y") ? 0 : 1)
        }
        #expect(history.count == 15)
        #expect(Set(history.map(\.config)).count == 15)
        // The space is exhausted: nothing new is left to propose.
        var rng = SeededRandom(seed: 2)
        #expect(strategy.makeSampler().propose(space: space, history: history, n: 3, rng: &rng).isEmpty)
    }

    @Test func repeatsOnlyWhenAllowed() throws {
        let space = try Space([Parameter("b", .choice([.bool(true), .bool(false)]))])
        let history = [Observation(config: Config(["b": .bool(true)]), value: 1), Observation(config: Config(["b": .bool(false)]), value: 2)]
        var rng = SeededRandom(seed: 1)
        #expect(RandomSampler().propose(space: space, history: history, n: 1, rng: &rng).isEmpty)
        #expect(RandomSampler().propose(space: space, history: history, n: 1, allowRepeat: true, rng: &rng).count == 1)
    }

    @Test(arguments: [Strategy.tpe, .gp, .evolve, .sobol])
    func batchesAreDiverse(strategy: Strategy) throws {
        let space = try Space([Parameter("x", .uniform(low: 0, high: 1)), Parameter("y", .uniform(low: 0, high: 1))])
        let history = runStudy(strategy.makeSampler(), space: space, trials: 12, seed: 4) { c in
            guard case .double(let x) = c["x"], case .double(let y) = c["y"] else { return 0 }
            return (x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6)
        }
        var rng = SeededRandom(seed: 8)
        let batch = strategy.makeSampler().propose(space: space, history: history, n: 4, rng: &rng)
        #expect(batch.count == 4)
        var closest = Double.infinity
        for i in batch.indices {
            for j in batch.indices where j < i {
                guard case .double(let x1) = batch[i]["x"], case .double(let y1) = batch[i]["y"],
                      case .double(let x2) = batch[j]["x"], case .double(let y2) = batch[j]["y"] else { continue }
                closest = min(closest, ((x1 - x2) * (x1 - x2) + (y1 - y2) * (y1 - y2)).squareRoot())
            }
        }
        #expect(closest > 1e-4, "\(strategy) batch collapsed: \(batch)")
    }

    @Test func tpeBeatsRandomOnASimpleObjective() throws {
        let space = try Space((1...3).map { Parameter("x\($0)", .uniform(low: -5, high: 5)) })
        let sphere = { (c: Config) -> Double in
            (1...3).reduce(0.0) { s, i in
                guard case .double(let x) = c["x\(i)"] else { return s }
                return s + (x - 1) * (x - 1)
            }
        }
        var tpe: [Double] = [], random: [Double] = []
        for seed in 0..<5 as Range<UInt64> {
            tpe.append(runStudy(TPESampler(), space: space, trials: 50, seed: seed, objective: sphere).compactMap(\.value).min()!)
            random.append(runStudy(RandomSampler(), space: space, trials: 50, seed: seed, objective: sphere).compactMap(\.value).min()!)
        }
        #expect(median(tpe) < median(random) * 0.5, "tpe \(tpe) random \(random)")
    }

    @Test func gpFindsBraninQuickly() {
        let objective = BenchmarkObjective.branin
        let history = runStudy(GPSampler(), space: objective.space, trials: 30, seed: 0, objective: objective.evaluate)
        let best = history.compactMap(\.value).min()!
        #expect(best - objective.knownMin < 0.1)
    }

    @Test func evolveClimbsFromTheIncumbent() throws {
        let space = try Space([Parameter("x", .uniform(low: 0, high: 1))])
        let history = [Observation(config: Config(["x": .double(0.5)]), value: 0), Observation(config: Config(["x": .double(0.9)]), value: 5)]
        var rng = SeededRandom(seed: 3)
        let next = EvolveSampler().propose(space: space, history: history, n: 8, rng: &rng)
        let xs = next.compactMap { c -> Double? in if case .double(let x) = c["x"] { return x } else { return nil } }
        #expect(xs.count == 8)
        #expect(abs(median(xs) - 0.5) < 0.2)
    }

    @Test func pendingTrialsAreNotProposedAgain() throws {
        let space = try Space([Parameter("k", .integers(low: 0, high: 2, step: 1))])
        let history = [Observation(config: Config(["k": .int(0)]), value: nil), Observation(config: Config(["k": .int(1)]), value: 3)]
        var rng = SeededRandom(seed: 1)
        #expect(GPSampler(startupTrials: 1).propose(space: space, history: history, n: 5, rng: &rng) == [Config(["k": .int(2)])])
    }
}

@Suite struct GPCacheTests {
    /// The GP caches hyperparameters between calls; a fresh sampler given the same history must
    /// propose exactly what the warm one did (what makes a resumed study identical).
    @Test func freshSamplerProposesWhatAWarmOneDid() {
        let objective = BenchmarkObjective.hartmann6
        let make = { GPSampler(maxModelPoints: 16, refitAlwaysUpTo: 14, refitEvery: 4, fastModelPoints: 12) }
        let warm = make()
        var rng = SeededRandom(seed: 4)
        var history: [Observation] = []
        var states: [SeededRandom] = []
        for _ in 0..<26 {
            states.append(rng)
            let c = warm.propose(space: objective.space, history: history, n: 1, rng: &rng)[0]
            history.append(Observation(config: c, value: objective.evaluate(c)))
        }
        for k in [15, 19, 22, 25] {
            var r = states[k]
            #expect(make().propose(space: objective.space, history: Array(history[..<k]), n: 1, rng: &r) == [history[k].config])
        }
    }
}
