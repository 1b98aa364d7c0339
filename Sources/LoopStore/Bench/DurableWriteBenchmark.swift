import Foundation
import LoopSupport

/// Measures what a research loop pays the store per trial, for `looplab bench propose`.
public enum DurableWriteBenchmark {
    /// Per-trial timings in seconds.
    public struct Result: Sendable {
        public var trials: Int
        public var durability: Store.Durability
        /// Insert of a finished trial + commit (one transaction), mean over all trials.
        public var writeMean: Double
        public var writeMedian: Double
        public var writeP95: Double
        /// Start (commit) + finish (commit): what a live trial costs, mean over all trials.
        public var lifecycleMean: Double
    }

    /// Writes `trials` trials into a fresh store in a temporary directory (removed afterwards),
    /// then as many start/finish pairs, timing each commit.
    public static func run(trials: Int = 500, durability: Store.Durability = .normal,
                           in parent: URL = FileManager.default.temporaryDirectory) throws(StoreError) -> Result {
        let directory = parent.appendingPathComponent("looplab-bench-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(projectDirectory: directory, options: Store.Options(durability: durability))
        defer { try? store.close() }
        let study = try store.openStudy(StudySpec(name: "bench", goalMetric: "loss"))

        var writes: [Double] = []
        writes.reserveCapacity(trials)
        for index in 0..<trials {
            let params: [String: JSONValue] = ["lr": .number(1e-3 * Double(index + 1)), "hidden": .int(64), "act": "relu"]
            let start = Monotonic.nanoseconds()
            try store.recordTrial(studyID: study.id, params: params, state: .complete,
                                  metrics: ["loss": 1.0 / Double(index + 1), "accuracy": 0.5], value: 1.0 / Double(index + 1))
            writes.append(Double(Monotonic.nanoseconds() - start) / 1e9)
        }
        var lifecycle = 0.0
        for index in 0..<trials {
            let start = Monotonic.nanoseconds()
            let trial = try store.startTrial(studyID: study.id, params: ["lr": .number(Double(index))])
            try store.finishTrial(id: trial.id, state: .complete, metrics: ["loss": 0.5], value: 0.5)
            lifecycle += Double(Monotonic.nanoseconds() - start) / 1e9
        }
        let sorted = writes.sorted()
        return Result(trials: trials, durability: durability,
                      writeMean: writes.reduce(0, +) / Double(max(trials, 1)),
                      writeMedian: sorted.isEmpty ? 0 : sorted[sorted.count / 2],
                      writeP95: sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 95 / 100)],
                      lifecycleMean: lifecycle / Double(max(trials, 1)))
    }
}
