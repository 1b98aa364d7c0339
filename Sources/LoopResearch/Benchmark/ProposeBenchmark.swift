import Foundation
import LoopSupport

/// The `propose` benchmark of `shared/anchors/hpo_optuna.py`, in Swift: sequential trials (propose
/// one, evaluate, record), no noise, no pruning; best-so-far statistics over seeds; proposal time.
/// `looplab bench propose` prints these rows.
public enum ProposeBenchmark {
    /// Search quality of one strategy on one objective.
    public struct Row: Sendable {
        public let objective: String
        public let strategy: String
        public let seeds: Int
        public let checkpoints: [Int]
        /// Best-so-far value after k trials: median, 25th and 75th percentile over seeds.
        public let median: [Double]
        public let p25: [Double]
        public let p75: [Double]
        /// Median simple regret (best-so-far − known minimum) at each checkpoint.
        public let medianRegret: [Double]
        /// For objectives with a categorical parameter: seeds whose best trial uses the optimal choice.
        public let optimalChoiceHits: [Int]?
        /// Median wall time of one whole run, seconds (proposals and evaluations).
        public let secondsPerRun: Double
    }

    /// Proposal time of one strategy late in a study.
    public struct TimingRow: Sendable {
        public let strategy: String
        public let objective: String
        public let trials: Int
        public let seeds: Int
        /// Milliseconds per proposal over trials `trials-9...trials`, pooled over seeds.
        public let medianMs: Double
        public let p25Ms: Double
        public let p75Ms: Double
        public let meanMs: Double
        /// Mean milliseconds per proposal over the whole run.
        public let meanMsWholeRun: Double
    }

    /// Values of one run (`trials` sequential proposals) and the time each proposal took.
    public static func runOnce(_ objective: BenchmarkObjective, strategy: Strategy, seed: UInt64, trials: Int)
        -> (values: [Double], configs: [Config], seconds: [Double])
    {
        let sampler = strategy.makeSampler(seed: seed)
        var rng = SeededRandom(seed: seed)
        var history: [Observation] = []
        var seconds: [Double] = []
        history.reserveCapacity(trials)
        for _ in 0..<trials {
            let start = Monotonic.nanoseconds()
            guard let config = sampler.propose(space: objective.space, history: history, n: 1, rng: &rng).first else { break }
            seconds.append(Double(Monotonic.nanoseconds() - start) * 1e-9)
            history.append(Observation(config: config, value: objective.evaluate(config)))
        }
        return (history.map { $0.value! }, history.map(\.config), seconds)
    }

    /// Search quality: every strategy on every objective for each seed.
    public static func run(
        strategies: [Strategy], seeds: Int = 20, trials: Int = 100, checkpoints: [Int] = [10, 25, 50, 100],
        objectives: [BenchmarkObjective] = BenchmarkObjective.all,
        progress: ((String) -> Void)? = nil
    ) -> [Row] {
        let marks = checkpoints.filter { $0 <= trials }
        var rows: [Row] = []
        for objective in objectives {
            for strategy in strategies {
                var curves: [[Double]] = [], bestConfigs: [[Config]] = [], walls: [Double] = []
                for seed in 0..<seeds {
                    let start = Monotonic.nanoseconds()
                    let run = runOnce(objective, strategy: strategy, seed: UInt64(seed), trials: trials)
                    walls.append(Double(Monotonic.nanoseconds() - start) * 1e-9)
                    var best = Double.infinity, bestIndex = 0
                    var curve: [Double] = [], atMarks: [Config] = []
                    for (i, v) in run.values.enumerated() {
                        if v < best { best = v; bestIndex = i }
                        curve.append(best)
                        if marks.contains(i + 1) { atMarks.append(run.configs[bestIndex]) }
                    }
                    curves.append(curve)
                    bestConfigs.append(atMarks)
                }
                let column = { (k: Int) in curves.map { $0[min(k, $0.count) - 1] } }
                let hits: [Int]? = objective.optimalChoice.map { choice in
                    marks.indices.map { m in bestConfigs.filter { $0[m][choice.parameter] == choice.value }.count }
                }
                let row = Row(
                    objective: objective.name, strategy: strategy.rawValue, seeds: seeds, checkpoints: marks,
                    median: marks.map { percentile(column($0), 50) },
                    p25: marks.map { percentile(column($0), 25) },
                    p75: marks.map { percentile(column($0), 75) },
                    medianRegret: marks.map { percentile(column($0).map { $0 - objective.knownMin }, 50) },
                    optimalChoiceHits: hits, secondsPerRun: percentile(walls, 50))
                rows.append(row)
                progress?(format(row))
            }
        }
        return rows
    }

    /// Proposal time at `trials` trials on `objective` (Hartmann-6 as in the reference protocol).
    public static func timing(
        strategies: [Strategy], trials: Int = 500, seeds: Int = 3,
        objective: BenchmarkObjective = .hartmann6
    ) -> [TimingRow] {
        strategies.map { strategy in
            var window: [Double] = [], all: [Double] = []
            for seed in 0..<seeds {
                let run = runOnce(objective, strategy: strategy, seed: UInt64(seed), trials: trials)
                window += run.seconds.suffix(10).map { $0 * 1e3 }
                all += run.seconds.map { $0 * 1e3 }
            }
            return TimingRow(strategy: strategy.rawValue, objective: objective.name, trials: trials, seeds: seeds,
                             medianMs: percentile(window, 50), p25Ms: percentile(window, 25), p75Ms: percentile(window, 75),
                             meanMs: window.reduce(0, +) / Double(max(window.count, 1)),
                             meanMsWholeRun: all.reduce(0, +) / Double(max(all.count, 1)))
        }
    }

    /// Percentile with linear interpolation between order statistics (numpy's default, R type 7).
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * q / 100
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// One line per row: objective, strategy, median regret at each checkpoint.
    public static func format(_ row: Row) -> String {
        let cells = zip(row.checkpoints, row.medianRegret).map { k, r in "@\(k) " + String(format: "%.3g", r) }
        let hits = row.optimalChoiceHits.map { "  optimal choice " + $0.map { "\($0)/\(row.seeds)" }.joined(separator: " ") } ?? ""
        return "\(row.objective.padding(toLength: 16, withPad: " ", startingAt: 0)) \(row.strategy.padding(toLength: 7, withPad: " ", startingAt: 0))"
            + " regret " + cells.joined(separator: "  ") + hits + String(format: "  (%.2fs/run)", row.secondsPerRun)
    }

    public static func format(_ row: TimingRow) -> String {
        String(format: "%@ %@ @%d: %.3f ms/proposal median [%.3f, %.3f], mean %.3f (whole run mean %.3f), %d seeds",
               row.strategy, row.objective, row.trials, row.medianMs, row.p25Ms, row.p75Ms, row.meanMs, row.meanMsWholeRun, row.seeds)
    }
}
