import Glibc
import LoopLab
import LoopLang
import LoopResearch
import LoopStore

/// `looplab bench propose`: search quality (median simple regret over seeds at 50 and 100
/// trials) of the default strategy and of TPE on the four anchor objectives, and proposal time at
/// 500 trials, against Optuna's TPE run in the same invocation by
/// `scripts/compare/propose_optuna.py` when `optuna` is importable.
enum ProposeBench {
    struct Options {
        var seeds = 20
        var trials = 100
        var strategies: [Strategy] = [.default, .tpe]
    }

    static func report(_ options: Options) -> BenchReport {
        let checkpoints = [50, 100].filter { $0 <= options.trials }
        let reference = optunaReference(options, checkpoints: checkpoints)
        var report = BenchReport(bench: "propose", referenceNames: ["optuna-tpe"])
        let rows = ProposeBenchmark.run(strategies: options.strategies, seeds: options.seeds, trials: options.trials,
                                        checkpoints: checkpoints) { line in
            Diagnostics.printError("bench propose: \(line)")
        }
        for row in rows {
            for (i, k) in row.checkpoints.enumerated() {
                var bench = BenchRow(caseName: "\(row.objective) regret@\(k) \(row.strategy)", value: row.medianRegret[i], unit: "regret")
                if let r = reference.regret["\(row.objective)@\(k)"] { bench.references["optuna-tpe"] = r }
                report.rows.append(bench)
            }
        }
        for timing in ProposeBenchmark.timing(strategies: [.default], trials: 500, seeds: 3) {
            var bench = BenchRow(caseName: "ms/proposal @500 \(timing.strategy)", value: timing.medianMs, unit: "ms")
            if let ms = reference.msPerTrial { bench.references["optuna-tpe"] = ms }
            report.rows.append(bench)
        }
        report.rows += durableRows(proposalMs: report.rows.last?.value)
        let ran = reference.ran ? "Optuna TPE ran in this invocation" : "Optuna not measured (\(reference.why))"
        report.note = "median over \(options.seeds) seeds of best-so-far minus the known minimum; ratio < 1 is better than the reference. \(ran)."
        return report
    }

    /// What a trial costs with the store: proposal time plus `DurableWriteBenchmark`'s commit
    /// times, and a real study loop (propose, start, complete: two commits) measured end to end.
    static func durableRows(proposalMs: Double?) -> [BenchRow] {
        var rows: [BenchRow] = []
        do {
            let write = try DurableWriteBenchmark.run(trials: 500)
            if let proposalMs {
                rows.append(BenchRow(caseName: "ms/trial @500 proposal + durable write \(Strategy.default.rawValue)",
                                     value: proposalMs + write.writeMedian * 1000, unit: "ms"))
                rows.append(BenchRow(caseName: "ms/trial @500 proposal + start/finish commits \(Strategy.default.rawValue)",
                                     value: proposalMs + write.lifecycleMean * 1000, unit: "ms"))
            }
            let loop = try StudyLoopBenchmark.run(trials: 500)
            rows.append(BenchRow(caseName: "ms/trial @500 study loop, SQLite \(Strategy.default.rawValue)", value: loop.medianMsLate, unit: "ms"))
        } catch {
            Diagnostics.printError("bench propose: the durable-write measurement failed: \(error)")
        }
        return rows
    }

    struct Reference {
        var regret: [String: Double] = [:]
        var msPerTrial: Double?
        var ran = false
        var why = ""
    }

    /// Runs the Optuna script; its output is one JSON object per line.
    static func optunaReference(_ options: Options, checkpoints: [Int]) -> Reference {
        var reference = Reference()
        Diagnostics.printError("bench propose: running Optuna TPE (\(options.seeds) seeds) for the reference...")
        let script = PythonReference(script: "propose_optuna.py", arguments: [
            "--seeds", String(options.seeds), "--trials", String(options.trials),
            "--checkpoints", checkpoints.map(String.init).joined(separator: ","), "--timing-trials", "500",
        ])
        switch script.run() {
        case .failure(let skipped):
            reference.why = skipped.reason
        case .success(let records):
            for r in records {
                if case .string(let objective)? = r.fields["objective"], case .int(let k)? = r.fields["trials"],
                   let regret = r.fields["median_regret"]?.number {
                    reference.regret["\(objective)@\(k)"] = regret
                } else if let ms = r.fields["ms_per_trial"]?.number {
                    reference.msPerTrial = ms
                }
            }
            reference.ran = !reference.regret.isEmpty
            if !reference.ran { reference.why = "the Optuna script printed no regrets" }
        }
        return reference
    }
}
