import Foundation
import LoopResearch
import LoopStore
import LoopSupport

/// What one trial of a real study costs at the research layer: propose (the study's sampler,
/// its guardrails), start the trial and complete it, both committed to a fresh SQLite store —
/// everything `for t in st { remember(t, ...) }` does except the user's own objective.
/// `looplab bench propose` prints it next to the proposal-only time.
public enum StudyLoopBenchmark {
    /// Milliseconds per trial over the last `window` trials (median) and over the whole run (mean).
    public struct Result: Sendable {
        public var trials: Int
        public var medianMsLate: Double
        public var meanMs: Double
    }

    /// Runs `trials` trials of the Hartmann-6 objective with `strategy` in a temporary store
    /// (removed afterwards).
    public static func run(trials: Int = 500, strategy: Strategy = .default, seed: UInt64 = 0, window: Int = 10,
                           in parent: URL = FileManager.default.temporaryDirectory) throws -> Result {
        let directory = parent.appendingPathComponent("looplab-bench-study-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(projectDirectory: directory)
        defer { try? store.close() }
        let objective = BenchmarkObjective.hartmann6
        // Default guardrails, so their checks are part of the cost; a zero tolerance keeps the
        // near-duplicate scan running without letting a converging GP end the run early.
        var rails = Guardrails(maxTrials: trials)
        rails.duplicateTolerance = 0
        let declaration = StudyDeclaration(name: "bench", space: objective.space, goal: .minimize("value"), strategy: strategy,
                                           seed: seed, guardrails: rails)
        let study = try LoopResearch.Study(declaration, store: StoreStudyStore(store: store), now: { 0 })
        var seconds: [Double] = []
        while true {
            let start = Monotonic.nanoseconds()
            guard let trial = try study.next() else { break }
            let proposed = Monotonic.nanoseconds()
            // The objective's own time is not the loop's cost, so it is left out.
            let value = objective.evaluate(trial.config)
            let evaluated = Monotonic.nanoseconds()
            try study.complete(trial.id, metrics: ["value": value])
            let end = Monotonic.nanoseconds()
            seconds.append(Double((proposed - start) + (end - evaluated)) * 1e-9)
        }
        let late = Array(seconds.suffix(window)).sorted()
        return Result(trials: seconds.count, medianMsLate: late.isEmpty ? 0 : late[late.count / 2] * 1000,
                      meanMs: seconds.reduce(0, +) / Double(max(seconds.count, 1)) * 1000)
    }
}
