import Foundation
import LoopLab
import LoopResearch
import LoopStore
import LoopSupport

/// `looplab bench workers`: trials per second of one study run by 1, 2, 4 and 8 worker processes
/// (`looplab run --workers N`) on a trivial objective with the random strategy, so the store and
/// the claiming protocol are measured rather than a sampler; beside it, Optuna with RDB storage
/// on the same kind of store and the same protocol (`scripts/compare/workers_optuna.py`), in the
/// same invocation. Both sides' throughput is read from their stores (first trial's start to last
/// trial's end), so process and import start-up are left out.
enum WorkersBench {
    static func report(trials: Int, workerCounts: [Int], regretSeeds: Int) throws -> BenchReport {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var report = BenchReport(bench: "workers", referenceNames: ["optuna-rdb-sqlite", "1 worker"])
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
        if regretSeeds > 0 { report.rows.append(try regretRow(executable: executable, seeds: regretSeeds, workers: 4, trials: 60)) }
        report.note = "throughput: trivial objective, random strategy, one study; trials/s from the first trial's start to the last one's end (higher is better)."
            + (skipped.map { " Optuna not measured: \($0)." } ?? " Optuna (RDBStorage, RandomSampler, N processes) ran in this invocation.")
            + (regretSeeds > 0 ? " Regret: median over \(regretSeeds) seeds of the best Hartmann-6 value found minus its minimum, default strategy, the same total trials with 4 workers and with 1 (target: ratio <= 1.5)." : "")
        return report
    }

    /// Proposal quality with several workers: each proposes while the others' trials run, so
    /// its GP sees them only as pending (kriging believer). Median regret with `workers` workers
    /// beside one worker, at the same total trial count.
    private static func regretRow(executable: String, seeds: Int, workers: Int, trials: Int) throws -> BenchRow {
        func regrets(_ count: Int) throws -> [Double] {
            try (0..<seeds).map { seed in
                let directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-bench-regret")
                defer { POSIXFiles.removeTree(directory) }
                try POSIXFiles.writeText(directory + "/h6.loop", hartmannScript(seed: seed, trials: trials))
                Diagnostics.printError("bench workers: Hartmann-6 regret, \(count) worker(s), seed \(seed)...")
                let status = try run(executable, ["run", "--workers", "\(count)", "--store", directory + "/looplab.db", directory + "/h6.loop"])
                guard status == 0 else { throw ReportBench.BenchFailure("the Hartmann-6 study exited with status \(status)") }
                let store = try Store(path: directory + "/looplab.db", options: Store.Options(readOnly: true))
                defer { try? store.close() }
                guard let study = try store.study(named: "h6"), let best = try store.bestTrial(studyID: study.id)?.value else {
                    throw ReportBench.BenchFailure("the Hartmann-6 study has no complete trial")
                }
                return best - BenchmarkObjective.hartmann6.knownMin
            }
        }
        let single = median(try regrets(1)), several = median(try regrets(workers))
        var row = BenchRow(caseName: "Hartmann-6 regret@\(trials), \(workers) workers", value: several, unit: "regret")
        row.references["1 worker"] = single
        return row
    }

    /// A study of Hartmann-6 written in .loop, its constants taken from LoopResearch's definition.
    private static func hartmannScript(seed: Int, trials: Int) -> String {
        func list(_ xs: [Double]) -> String { "[" + xs.map { "\($0)" }.joined(separator: ", ") + "]" }
        func matrix(_ rows: [[Double]]) -> String { "[" + rows.map(list).joined(separator: ", ") + "]" }
        return """
            let A = \(matrix(BenchmarkObjective.hartmannA))
            let P = \(matrix(BenchmarkObjective.hartmannP))
            let alpha = \(list(BenchmarkObjective.hartmannAlpha))
            let st = study("h6", space: {x1: uniform(0, 1), x2: uniform(0, 1), x3: uniform(0, 1), x4: uniform(0, 1), x5: uniform(0, 1), x6: uniform(0, 1)},
                           goal: minimize("value"), seed: \(seed), max_trials: \(trials), max_near_duplicates: 1000)
            for t in st {
              let x = [t.x1, t.x2, t.x3, t.x4, t.x5, t.x6]
              var total = 0.0
              for i in 0..<4 {
                var inner = 0.0
                for j in 0..<6 { inner += A[i][j] * (x[j] - P[i][j]) ** 2 }
                total += alpha[i] * exp(-inner)
              }
              remember(t, {value: -total})
            }
            """
    }

    private static func median(_ xs: [Double]) -> Double {
        let sorted = xs.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
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
