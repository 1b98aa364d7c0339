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
    /// Where the PostgreSQL rows run: a server given by URL, or a throwaway cluster this bench
    /// starts with `scripts/pg-throwaway` (from the repository) and stops at the end.
    enum Server {
        case url(String)
        case throwaway
    }

    static func report(trials: Int, workerCounts: [Int], regretSeeds: Int, backends: [String], server: Server,
                       overheadTrials: Int) throws -> BenchReport {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var report = BenchReport(bench: "workers", referenceNames: ["optuna-rdb", "1 worker", "sqlite"])
        var skipped: String?
        var cluster: Throwaway?
        defer { cluster?.stop() }
        var postgres: String?
        if backends.contains("postgres") {
            switch server {
            case .url(let url): postgres = url
            case .throwaway:
                cluster = try Throwaway.start()
                postgres = cluster?.url
            }
        }
        for backend in backends {
            for workers in workerCounts {
                let directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-bench-workers")
                defer { POSIXFiles.removeTree(directory) }
                let script = directory + "/bench.loop"
                try POSIXFiles.writeText(script, """
                    let st = study("bench", space: {x: uniform(0, 1), y: uniform(0, 1)}, goal: minimize("loss"), strategy: "random",
                                   max_trials: \(trials), max_near_duplicates: 1000000, max_failures: 1)
                    for t in st { remember(t, {loss: (t.x - 0.3) ** 2 + (t.y - 0.6) ** 2}) }
                    """)
                Diagnostics.printError("bench workers: \(backend), \(workers) worker(s), \(trials) trials...")
                // A schema (Looplab) and a study name (Optuna) of their own per row on a server.
                let run = UUID().uuidString.prefix(8).lowercased()
                let store = backend == "postgres" ? try schemaURL(postgres, "bench_\(run)") : directory + "/looplab.db"
                let optunaStorage = backend == "postgres" ? try sqlAlchemyURL(postgres) : "sqlite:///\(directory)/optuna.db"
                let status = try self.run(executable, ["run", "--workers", "\(workers)", "--store", store, script])
                guard status == 0 else { throw ReportBench.BenchFailure("looplab run --workers \(workers) --store \(Store.displayLocation(store)) exited with status \(status)") }
                let rate = try throughput(store: store, expected: trials)
                var row = BenchRow(caseName: "workers \(workers), \(backend == "postgres" ? "PostgreSQL" : "SQLite"), \(trials) trials",
                                   value: rate, unit: "trials/s")
                switch PythonReference(script: "workers_optuna.py", arguments: [
                    "--storage", optunaStorage, "--workers", "\(workers)", "--trials", "\(trials)", "--study", "bench_\(run)",
                ]).run() {
                case .success(let records): row.references["optuna-rdb"] = PythonReference.values(records)["workers \(workers)"]
                case .failure(let why): skipped = why.reason
                }
                report.rows.append(row)
            }
        }
        if let postgres, overheadTrials > 0 {
            report.rows.append(try overheadRow(postgres: postgres, trials: overheadTrials))
        }
        if regretSeeds > 0 { report.rows.append(try regretRow(executable: executable, seeds: regretSeeds, workers: 4, trials: 60)) }
        report.note = "throughput: trivial objective, random strategy, one study; trials/s from the first trial's start to the last one's end (higher is better)."
            + (skipped.map { " Optuna not measured: \($0)." } ?? " Optuna 5 (RDBStorage on the same kind of store, RandomSampler, N processes) ran in this invocation.")
            + (postgres != nil && overheadTrials > 0 ? " Store overhead: ms per claim + finish at the end of a \(overheadTrials)-trial study, in this process (no interpreter), PostgreSQL beside SQLite (target <= 5 ms)." : "")
            + (regretSeeds > 0 ? " Regret: median over \(regretSeeds) seeds of the best Hartmann-6 value found minus its minimum, default strategy, the same total trials with 4 workers and with 1 (target: ratio <= 1.5)." : "")
        return report
    }

    /// What the store itself costs a trial once a study is large: a claim and a finish, timed
    /// over the last tenth of `trials` trials, on PostgreSQL and (beside it) on SQLite.
    private static func overheadRow(postgres: String, trials: Int) throws -> BenchRow {
        func perTrial(_ location: String) throws -> Double {
            Diagnostics.printError("bench workers: store overhead, \(trials) trials on \(Store.scheme(of: location) ?? "sqlite")...")
            let store = try Store.open(location, projectDirectory: URL(fileURLWithPath: "/"))
            defer { try? store.close() }
            let study = try store.openStudy(StudySpec(name: "overhead", space: ["x": ["uniform", 0, 1]], goalMetric: "loss"))
            let timed = max(1, trials / 10)
            var start = 0.0
            for i in 0..<trials {
                if i == trials - timed { start = Monotonic.seconds() }
                guard case .started(let trial) = try store.claimTrial(studyID: study.id, params: ["x": .number(Double(i) / Double(trials))],
                                                                      maxTrials: trials, allowRepeat: false) else {
                    throw ReportBench.BenchFailure("the claim of trial \(i) was refused")
                }
                try store.finishTrial(id: trial.id, state: .complete, metrics: ["loss": Double(i)], value: Double(i))
            }
            return (Monotonic.seconds() - start) / Double(timed) * 1000
        }
        let directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-bench-overhead")
        defer { POSIXFiles.removeTree(directory) }
        var row = BenchRow(caseName: "store overhead per trial at \(trials) trials, PostgreSQL",
                           value: try perTrial(try schemaURL(postgres, "overhead_\(UUID().uuidString.prefix(8).lowercased())")), unit: "ms")
        row.references["sqlite"] = try perTrial(directory + "/looplab.db")
        return row
    }

    /// The server's URL with a `schema=` of its own.
    private static func schemaURL(_ url: String?, _ schema: String) throws -> String {
        guard let url, var parts = URLComponents(string: url) else { throw ReportBench.BenchFailure("no PostgreSQL server") }
        parts.queryItems = (parts.queryItems ?? []).filter { $0.name != "schema" } + [URLQueryItem(name: "schema", value: schema)]
        return parts.string ?? url
    }

    /// The same server as SQLAlchemy names it for Optuna (psycopg2), without Looplab's parameters.
    private static func sqlAlchemyURL(_ url: String?) throws -> String {
        guard let url, var parts = URLComponents(string: url) else { throw ReportBench.BenchFailure("no PostgreSQL server") }
        parts.scheme = "postgresql+psycopg2"
        parts.queryItems = nil
        return parts.string ?? url
    }

    /// A throwaway cluster (`scripts/pg-throwaway`, run from the repository).
    struct Throwaway {
        let directory: String
        let url: String

        static func start() throws -> Throwaway {
            let script = POSIXFiles.currentDirectory() + "/scripts/pg-throwaway"
            guard FileManager.default.isExecutableFile(atPath: script) else {
                throw ReportBench.BenchFailure("scripts/pg-throwaway not found: run from the repository, or pass --postgres URL (or --backends sqlite)")
            }
            // Made by the script, so the server's (unprivileged) user owns it.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-bench-pg-\(UUID().uuidString.prefix(8))").path
            guard let (status, output) = Shell.output(of: "'\(script)' start '\(directory)' 2>&1"), status == 0,
                  let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgresql://") else {
                throw ReportBench.BenchFailure("could not start a throwaway PostgreSQL with scripts/pg-throwaway")
            }
            return Throwaway(directory: directory, url: url)
        }

        func stop() {
            _ = Shell.output(of: "'\(POSIXFiles.currentDirectory())/scripts/pg-throwaway' stop '\(directory)' 2>&1")
        }
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
        return ChildProcess.waitForExit(pid)
    }

    /// Complete trials per second between the first start and the last finish.
    private static func throughput(store location: String, expected: Int) throws -> Double {
        let store = try Store.open(location, projectDirectory: URL(fileURLWithPath: "/"), options: Store.Options(readOnly: true))
        defer { try? store.close() }
        guard let study = try store.study(named: "bench") else { throw ReportBench.BenchFailure("the study was not created") }
        let trials = try store.trials(studyID: study.id).filter { $0.state == .complete }
        guard trials.count == expected else { throw ReportBench.BenchFailure("\(trials.count) complete trials, expected \(expected)") }
        let start = trials.map(\.startedAt).min()!, end = trials.compactMap(\.finishedAt).max()!
        return Double(trials.count) / max(end.timeIntervalSince(start), 1e-6)
    }
}
