import Foundation
import LoopLab
import LoopStore
import LoopSupport

/// `looplab bench workers`: trials per second of one study run by 1, 2, 4 and 8 worker processes
/// (`looplab run --workers N`) on a trivial objective with the random strategy, so the store and
/// the claiming protocol are measured rather than a sampler; beside it, Optuna with RDB storage
/// on the same kind of store and the same protocol (`scripts/compare/workers_optuna.py`), in the
/// same invocation. Both sides' throughput is read from their stores (first trial's start to last
/// trial's end), so process and import start-up are left out.
enum WorkersBench {
    static func report(trials: Int, workerCounts: [Int]) throws -> BenchReport {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var report = BenchReport(bench: "workers", referenceNames: ["optuna-rdb-sqlite"])
        var skipped: String?
        for workers in workerCounts {
            let directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-bench-workers")
            defer { POSIXFiles.removeTree(directory) }
            let script = directory + "/bench.loop"
            try POSIXFiles.writeText(script, """
                let st = study("bench", space: {x: uniform(0, 1), y: uniform(0, 1)}, goal: minimize("loss"), strategy: "random",
                               max_trials: \(trials), max_near_duplicates: 1000000, max_failures: 1)
                for t in st { remember(t, {loss: (t.x - 0.3) ** 2 + (t.y - 0.6) ** 2}) }
                """)
            Diagnostics.printError("bench workers: \(workers) worker(s), \(trials) trials...")
            let store = directory + "/looplab.db"
            let status = try run(executable, ["run", "--workers", "\(workers)", "--store", store, script])
            guard status == 0 else { throw ReportBench.BenchFailure("looplab run --workers \(workers) exited with status \(status)") }
            let rate = try throughput(store: store, expected: trials)
            var row = BenchRow(caseName: "workers \(workers), SQLite, \(trials) trials", value: rate, unit: "trials/s")
            switch PythonReference(script: "workers_optuna.py", arguments: [
                "--storage", "sqlite:///\(directory)/optuna.db", "--workers", "\(workers)", "--trials", "\(trials)",
            ]).run() {
            case .success(let records): row.references["optuna-rdb-sqlite"] = PythonReference.values(records)["workers \(workers)"]
            case .failure(let why): skipped = why.reason
            }
            report.rows.append(row)
        }
        report.note = "trivial objective, random strategy, one study; trials/s from the first trial's start to the last one's end (higher is better)."
            + (skipped.map { " Optuna not measured: \($0)." } ?? " Optuna (RDBStorage, RandomSampler, N processes) ran in this invocation.")
        return report
    }

    /// Runs the command with its output discarded; its exit status.
    private static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let null = open("/dev/null", O_WRONLY)
        defer { close(null) }
        let pid = try ChildProcess.spawn(executable, arguments: arguments, environment: ChildProcess.currentEnvironment(), stdout: null, stderr: null)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    /// Complete trials per second between the first start and the last finish.
    private static func throughput(store path: String, expected: Int) throws -> Double {
        let store = try Store(path: path, options: Store.Options(readOnly: true))
        defer { try? store.close() }
        guard let study = try store.study(named: "bench") else { throw ReportBench.BenchFailure("the study was not created") }
        let trials = try store.trials(studyID: study.id).filter { $0.state == .complete }
        guard trials.count == expected else { throw ReportBench.BenchFailure("\(trials.count) complete trials, expected \(expected)") }
        let start = trials.map(\.startedAt).min()!, end = trials.compactMap(\.finishedAt).max()!
        return Double(trials.count) / max(end.timeIntervalSince(start), 1e-6)
    }
}
