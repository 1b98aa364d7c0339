import LoopResearch
import Testing

@Suite struct BenchmarkTests {
    /// The `checks` entries of hpo_objectives.json, reproduced to ~1e-12.
    @Test func objectivesMatchTheReferenceChecks() {
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
        #expect(close(BenchmarkObjective.braninValue(3.141592653589793, 2.275), 0.39788735772973816))
        #expect(close(BenchmarkObjective.braninValue(0, 0), 55.602112642270264))
        #expect(close(BenchmarkObjective.braninValue(2.5, 7.5), 24.129964413622268))
        #expect(close(BenchmarkObjective.hartmann6Value([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), -0.5053149917022333))
        #expect(close(BenchmarkObjective.hartmann6Value([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), -1.4069105761385299))
        #expect(close(BenchmarkObjective.rosenbrockValue([0, 0, 0, 0]), 3.0))
        #expect(close(BenchmarkObjective.rosenbrockValue([-1, 0.5, 1.5, -2]), 1992.0))
        let mixed = BenchmarkObjective.hartmann6Mixed
        let c0 = Config(["x1": .double(0.5), "x2": .double(0.5), "x3": .double(0.5), "x4": .string("c0"), "x5": .double(0.5), "x6": .double(0.5)])
        #expect(close(mixed.evaluate(c0), -0.5053149917022333))
        let c4 = Config(["x1": .double(0.2), "x2": .double(0.15), "x3": .double(0.48), "x4": .string("c4"), "x5": .double(0.31), "x6": .double(0.66)])
        #expect(close(mixed.evaluate(c4), -3.303737912973412))
        #expect(mixed.space.contains(c4))
    }

    @Test func knownMinimaHoldAtTheArgmins() {
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }
        let branin = BenchmarkObjective.branin.knownMin
        #expect(near(BenchmarkObjective.braninValue(-3.141592653589793, 12.275), branin))
        #expect(near(BenchmarkObjective.braninValue(9.42477796076938, 2.475), branin))
        #expect(near(BenchmarkObjective.hartmann6Value([0.20168952, 0.15001067, 0.47687401, 0.27533244, 0.31165162, 0.65730055]),
                     BenchmarkObjective.hartmann6.knownMin))
        #expect(BenchmarkObjective.rosenbrockValue([1, 1, 1, 1]) == 0)
        let c = Config(["x1": 0.20305, "x2": 0.149816, "x3": 0.47388, "x4": "c4", "x5": 0.311238, "x6": 0.657745])
        #expect(near(BenchmarkObjective.hartmann6Mixed.evaluate(c), BenchmarkObjective.hartmann6Mixed.knownMin))
    }

    @Test func percentilesInterpolateLinearly() {
        #expect(ProposeBenchmark.percentile([1, 2, 3, 4], 50) == 2.5)
        #expect(ProposeBenchmark.percentile([1, 2, 3, 4], 25) == 1.75)
        #expect(ProposeBenchmark.percentile([5], 75) == 5)
    }

    @Test func harnessProducesRows() {
        let rows = ProposeBenchmark.run(strategies: [.random, .tpe], seeds: 3, trials: 15, checkpoints: [10, 15],
                                        objectives: [.branin, .hartmann6Mixed])
        #expect(rows.count == 4)
        for row in rows {
            #expect(row.checkpoints == [10, 15])
            #expect(row.medianRegret.allSatisfy { $0 >= 0 })
            #expect(row.medianRegret[1] <= row.medianRegret[0])
        }
        #expect(rows.last?.optimalChoiceHits?.count == 2)
        // Random and TPE share their startup: identical @10.
        #expect(rows[0].median[0] == rows[1].median[0])
        let timing = ProposeBenchmark.timing(strategies: [.random], trials: 20, seeds: 1)
        #expect(timing.count == 1 && timing[0].medianMs >= 0)
    }
}
