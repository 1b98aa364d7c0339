import Foundation
import Glibc
import LoopLab
import LoopLang
import LoopStore
import LoopSupport

/// `looplab bench loop`: time to quality of the whole research loop. Looplab's side is a `.loop`
/// script run by `looplab run` as a researcher would write it (a study with the default
/// strategy, `train(..., trial: t)`, `remember`); the reference is Optuna's TPE proposing and
/// PyTorch CPU training the same models on the same files for the same wall-clock budget
/// (`scripts/compare/loop_efficacy.py`), the two alternating seed by seed in one invocation.
///
/// For each seed: the quality both reached (the worse of the two bests), the seconds each took
/// to first reach it, the trials each ran, and (digits) the test accuracy of each best refit.
enum LoopBench {
    struct Options {
        var tasks: [String] = ["digits", "charlm"]
        var seeds = 3
        var budget = 60.0
        var lmSeeds = 1
        var lmBudget = 60.0
        var lmTrialBudget = 3.0
        var workers = 1
        /// Extra arguments for Looplab's `study(...)` call (`strategy: "gp"`).
        var studyOptions: String?
        var digitsPath: String?
        var threads = 2
    }

    /// One side's search, as both report it: the best-so-far trajectory (seconds from the loop's
    /// start, value), trials run, and the refit test accuracy (digits).
    struct Search {
        var trials: Int
        var trajectory: [(seconds: Double, value: Double)]
        var test: Double?

        var best: Double? { trajectory.last?.value }

        /// Seconds until the best-so-far first reached `quality`.
        func seconds(toReach quality: Double, maximize: Bool) -> Double? {
            trajectory.first { maximize ? $0.value >= quality : $0.value <= quality }?.seconds
        }
    }

    static let reference = "optuna+torch"

    static func report(_ o: Options) throws -> BenchReport {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var report = BenchReport(bench: "loop", referenceNames: [reference])
        let directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-bench-loop")
        defer { POSIXFiles.removeTree(directory) }
        var skipped: String?
        var notes: [String] = []
        if o.tasks.contains("digits") {
            try writeDigitsSplit(from: try digitsCSV(o.digitsPath), to: directory)
            let ratios = try run(task: .digits, seeds: o.seeds, budget: o.budget, o, executable: executable, directory: directory,
                                 report: &report, skipped: &skipped)
            if !ratios.isEmpty {
                report.rows.append(BenchRow(caseName: "digits: median time ratio (max \(NumberFormat.ratio(ratios.max()!)))",
                                            value: median(ratios), unit: "ratio"))
            }
            notes.append("digits: 6-parameter MLP space (lr, hidden, layers, weight decay, batch, epochs), \(NumberFormat.short(o.budget)) s per side and seed, 70/15/15 split of \(o.digitsPath ?? "digits.csv") standardised on the train part; quality = validation accuracy (higher is better), test = the best configuration refit with seed 12345.")
        }
        if o.tasks.contains("charlm") {
            try writeCorpus(to: directory + "/corpus.txt")
            let ratios = try run(task: .charlm, seeds: o.lmSeeds, budget: o.lmBudget, o, executable: executable, directory: directory,
                                 report: &report, skipped: &skipped)
            if !ratios.isEmpty {
                report.rows.append(BenchRow(caseName: "charlm: median time ratio", value: median(ratios), unit: "ratio"))
            }
            notes.append("charlm: char-level gpt (ctx 32, 4 heads; lr, dim, layers, batch searched), \(NumberFormat.short(o.lmTrialBudget)) s of training per trial, \(NumberFormat.short(o.lmBudget)) s per side and seed, on words of /usr/share/dict/words; quality = validation bits per character (lower is better).")
        }
        let looplabSide = "Looplab: the study's defaults" + (o.studyOptions.map { " and \($0)" } ?? "")
            + (o.workers > 1 ? ", looplab run --workers \(o.workers) (trials side by side, each on its share of the CPUs)" : ", one process") + "; the reference: Optuna TPE + PyTorch CPU on \(o.threads) threads (scripts/compare/loop_efficacy.py)."
        report.note = (notes + [looplabSide, "Time ratio = Looplab's seconds / the reference's to the quality both reached (below 1: Looplab sooner)."]
            + (skipped.map { ["The reference was not measured: \($0)."] } ?? [])).joined(separator: "\n")
        return report
    }

    enum Task: String {
        case digits, charlm
        var maximize: Bool { self == .digits }
        var metric: String { self == .digits ? "val accuracy" : "val bpc" }
        var unit: String { self == .digits ? "accuracy" : "bpc" }
    }

    /// Runs both sides for each seed, adds the rows; the time ratios of the seeds both finished.
    private static func run(task: Task, seeds: Int, budget: Double, _ o: Options, executable: String, directory: String,
                            report: inout BenchReport, skipped: inout String?) throws -> [Double] {
        var ratios: [Double] = []
        for seed in 0..<seeds {
            Diagnostics.printError("bench loop: \(task.rawValue) seed \(seed), Looplab (\(NumberFormat.short(budget)) s)...")
            let ours = try looplab(task: task, seed: seed, budget: budget, o, executable: executable, directory: directory)
            Diagnostics.printError("bench loop: \(task.rawValue) seed \(seed), Optuna + PyTorch (\(NumberFormat.short(budget)) s)...")
            var arguments = [task.rawValue, "--dir", directory, "--budget", "\(budget)", "--seed", "\(seed)", "--threads", "\(o.threads)"]
            if task == .charlm { arguments += ["--trial-budget", "\(o.lmTrialBudget)"] }
            var theirs: Search?
            switch PythonReference(script: "loop_efficacy.py", arguments: arguments).run() {
            case .success(let records): theirs = records.first.flatMap(search(fromReference:))
            case .failure(let why): skipped = why.reason
            }
            guard let ourBest = ours.best else { throw ReportBench.BenchFailure("Looplab's \(task.rawValue) study (seed \(seed)) completed no trial") }
            let name = "\(task.rawValue) seed \(seed)"
            if let theirs, let theirBest = theirs.best {
                let quality = task.maximize ? min(ourBest, theirBest) : max(ourBest, theirBest)
                let q = NumberFormat.short(quality)
                var row = BenchRow(caseName: "\(name): seconds to \(task.metric) \(q)", value: ours.seconds(toReach: quality, maximize: task.maximize)!, unit: "s")
                row.references[reference] = theirs.seconds(toReach: quality, maximize: task.maximize)!
                if let r = BenchReport.ratio(row.value, row.references[reference]!) { ratios.append(r) }
                report.rows.append(row)
            }
            var best = BenchRow(caseName: "\(name): best \(task.metric)", value: ourBest, unit: task.unit)
            best.references[reference] = theirs?.best
            var trials = BenchRow(caseName: "\(name): trials", value: Double(ours.trials), unit: "trials")
            trials.references[reference] = theirs.map { Double($0.trials) }
            report.rows += [best, trials]
            if let test = ours.test {
                var row = BenchRow(caseName: "\(name): test accuracy of the best, refit", value: test, unit: "accuracy")
                row.references[reference] = theirs?.test
                report.rows.append(row)
            }
        }
        return ratios
    }

    // MARK: Looplab's side

    private static func looplab(task: Task, seed: Int, budget: Double, _ o: Options, executable: String, directory: String) throws -> Search {
        let store = directory + "/\(task.rawValue)-\(seed).db"
        let script = directory + "/\(task.rawValue)-\(seed).loop"
        let extra = o.studyOptions.map { ", " + $0 } ?? ""
        try POSIXFiles.writeText(script, task == .digits
            ? digitsScript(directory: directory, seed: seed, budget: budget, extra: extra)
            : charlmScript(directory: directory, seed: seed, budget: budget, trialBudget: o.lmTrialBudget, extra: extra))
        try runLooplab(executable, ["run"] + (o.workers > 1 ? ["--workers", "\(o.workers)"] : []) + ["--store", store, script], directory: directory)
        var result = try searchFromStore(store, study: task.rawValue, maximize: task.maximize)
        if task == .digits {
            let refit = directory + "/refit-\(seed).loop"
            try POSIXFiles.writeText(refit, refitScript(directory: directory))
            let output = try runLooplab(executable, ["run", "--store", store, refit], directory: directory)
            guard let test = output.split(separator: "\n").last.flatMap({ Double($0) }) else {
                throw ReportBench.BenchFailure("the refit printed no accuracy: \(output.suffix(300))")
            }
            result.test = test
        }
        return result
    }

    /// The study as a researcher writes it; the guardrails that would end a 60-second search
    /// early (100 trials, 5 failures, 5 near-duplicates) are opened, as Optuna has none.
    private static func digitsScript(directory: String, seed: Int, budget: Double, extra: String) -> String {
        """
        let tr = load_csv("\(directory)/train.csv", target: "label")
        let va = load_csv("\(directory)/val.csv", target: "label")
        let st = study("digits", space: {lr: loguniform(1e-4, 1e-1), hidden: choice(32, 64, 128, 256), layers: integers(1, 3),
                                         wd: loguniform(1e-6, 1e-2), batch: choice(32, 64, 128), epochs: integers(5, 40)},
                       goal: maximize("accuracy"), seed: \(seed), max_time: \(duration(budget)), max_trials: 100000, max_failures: 100000,
                       max_near_duplicates: 100000, progress: false\(extra))
        for t in st {
          let m = mlp(tr, hidden: [t.hidden] * t.layers, seed: t.number)
          train(m, tr, val: va, epochs: t.epochs, batch: t.batch, lr: t.lr, weight_decay: t.wd, budget: nil, progress: false,
                seed: t.number, trial: t)
          remember(t, {accuracy: eval(m, va).accuracy})
        }
        """
    }

    private static func refitScript(directory: String) -> String {
        """
        let tr = load_csv("\(directory)/train.csv", target: "label")
        let te = load_csv("\(directory)/test.csv", target: "label")
        let b = study("digits").best.params
        let m = mlp(tr, hidden: [b.hidden] * b.layers, seed: 12345)
        train(m, tr, epochs: b.epochs, batch: b.batch, lr: b.lr, weight_decay: b.wd, budget: nil, progress: false, seed: 12345)
        print(final_eval(m, te).accuracy)
        """
    }

    private static func charlmScript(directory: String, seed: Int, budget: Double, trialBudget: Double, extra: String) -> String {
        """
        let text = load_text("\(directory)/corpus.txt")
        let parts = split(text, train: 0.9, val: 0.1, test: 0)
        let st = study("charlm", space: {lr: loguniform(1e-4, 1e-2), dim: choice(32, 64, 128), layers: integers(1, 3), batch: choice(16, 32, 64)},
                       goal: minimize("bpc"), seed: \(seed), max_time: \(duration(budget)), max_trials: 100000, max_failures: 100000,
                       max_near_duplicates: 100000, progress: false\(extra))
        for t in st {
          let m = gpt(vocab: text, ctx: 32, dim: t.dim, layers: t.layers, heads: 4, seed: t.number)
          train(m, parts.train, steps: 100000000, batch: t.batch, lr: t.lr, budget: \(duration(trialBudget)), progress: false, seed: t.number)
          remember(t, {bpc: eval(m, parts.val).bpc})
        }
        """
    }

    /// Runs `looplab` with the given arguments in `directory`; its standard output. A failure
    /// carries the end of what it printed on standard error.
    @discardableResult
    private static func runLooplab(_ executable: String, _ arguments: [String], directory: String) throws -> String {
        let log = directory + "/stderr.log"
        // Quoted for /bin/sh: a path or --study-options text may hold a quote of its own.
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "cd \(quoted(directory)) && \(quoted(executable)) " + arguments.map(quoted).joined(separator: " ") + " 2>\(quoted(log))"
        guard let (status, output) = Shell.output(of: command) else { throw ReportBench.BenchFailure("could not start \(executable)") }
        guard status == 0 else {
            let errors = (try? POSIXFiles.readText(log)) ?? ""
            throw ReportBench.BenchFailure("looplab \(arguments.joined(separator: " ")) exited with status \(status):\n\(errors.suffix(1500))")
        }
        return output
    }

    /// The best-so-far trajectory of the study's complete trials, by finishing time, from the
    /// first trial's start.
    private static func searchFromStore(_ path: String, study name: String, maximize: Bool) throws -> Search {
        let store = try Store(path: path, options: Store.Options(readOnly: true))
        defer { try? store.close() }
        guard let study = try store.study(named: name) else { throw ReportBench.BenchFailure("the study \(name) was not created") }
        let trials = try store.trials(studyID: study.id)
        guard let start = trials.map(\.startedAt).min() else { return Search(trials: 0, trajectory: []) }
        var trajectory: [(seconds: Double, value: Double)] = []
        for trial in trials.filter({ $0.state == .complete && $0.value?.isFinite == true && $0.finishedAt != nil })
            .sorted(by: { $0.finishedAt! < $1.finishedAt! }) {
            let value = trial.value!
            if let last = trajectory.last?.value, maximize ? value <= last : value >= last { continue }
            trajectory.append((trial.finishedAt!.timeIntervalSince(start), value))
        }
        return Search(trials: trials.count, trajectory: trajectory)
    }

    private static func search(fromReference record: Record) -> Search? {
        guard let trials = record.fields["trials"]?.number, case .list(let points)? = record.fields["trajectory"] else { return nil }
        var trajectory: [(seconds: Double, value: Double)] = []
        for case .list(let pair) in points where pair.count == 2 {
            if let s = pair[0].number, let v = pair[1].number { trajectory.append((s, v)) }
        }
        return Search(trials: Int(trials), trajectory: trajectory, test: record.fields["test"]?.number)
    }

    // MARK: Data

    /// `--digits`, else the shared data directory beside the repository.
    private static func digitsCSV(_ given: String?) throws -> String {
        if let given {
            guard POSIXFiles.exists(given) else { throw ReportBench.BenchFailure("--digits \(given): no such file") }
            return given
        }
        let candidates = [POSIXFiles.currentDirectory() + "/../shared/data/digits.csv"]
            + (StdlibLocator.locate().map { [POSIXFiles.parent(POSIXFiles.parent($0)) + "/shared/data/digits.csv"] } ?? [])
        guard let found = candidates.first(where: POSIXFiles.exists) else {
            throw ReportBench.BenchFailure("digits.csv not found (looked in ../shared/data/); give it with --digits PATH, or run --tasks charlm")
        }
        return found
    }

    /// A seeded 70/15/15 split of a CSV with a `label` column, the features standardised with
    /// the train part's mean and deviation, written as train.csv, val.csv and test.csv: the
    /// same files for both sides, so neither depends on the other's shuffling.
    static func writeDigitsSplit(from path: String, to directory: String) throws {
        let lines = try POSIXFiles.readText(path).split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init), let label = header.firstIndex(of: "label") else {
            throw ReportBench.BenchFailure("\(path): no header with a 'label' column")
        }
        var rows: [[Double]] = []
        for (i, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard cells.count == header.count, cells.allSatisfy({ $0?.isFinite == true }) else {
                throw ReportBench.BenchFailure("\(path):\(i + 2): expected \(header.count) numbers")
            }
            rows.append(cells.map { $0! })
        }
        guard rows.count >= 20 else { throw ReportBench.BenchFailure("\(path): \(rows.count) rows; the bench needs at least 20") }
        var rng = SeededRandom(seed: 7)
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, rng.int(below: i + 1)) }
        let nTrain = rows.count * 70 / 100, nVal = rows.count * 15 / 100
        let train = rows[..<nTrain], val = rows[nTrain..<(nTrain + nVal)], test = rows[(nTrain + nVal)...]
        let features = header.indices.filter { $0 != label }
        var mean = [Double](repeating: 0, count: header.count), scale = [Double](repeating: 1, count: header.count)
        for j in features {
            let m = train.reduce(0) { $0 + $1[j] } / Double(train.count)
            let sd = (train.reduce(0) { $0 + ($1[j] - m) * ($1[j] - m) } / Double(train.count)).squareRoot()
            (mean[j], scale[j]) = (m, sd > 0 ? sd : 1)
        }
        for (name, part) in [("train", train), ("val", val), ("test", test)] {
            var text = header.joined(separator: ",") + "\n"
            for row in part {
                text += header.indices.map { j in j == label ? String(Int(row[j])) : String(Float((row[j] - mean[j]) / scale[j])) }
                    .joined(separator: ",") + "\n"
            }
            try POSIXFiles.writeText(directory + "/\(name).csv", text)
        }
    }

    /// Lower-case words of the system word list in a seeded order, one per line, about 200,000
    /// characters.
    static func writeCorpus(to path: String) throws {
        let list = "/usr/share/dict/words"
        guard let text = try? POSIXFiles.readText(list) else {
            throw ReportBench.BenchFailure("\(list) not found (Debian's wamerican); run --tasks digits")
        }
        var words = text.split(separator: "\n").filter { w in !w.isEmpty && w.utf8.allSatisfy { $0 >= 97 && $0 <= 122 } }
        var rng = SeededRandom(seed: 1)
        for i in stride(from: words.count - 1, to: 0, by: -1) { words.swapAt(i, rng.int(below: i + 1)) }
        var corpus = "", count = 0
        for w in words where count < 200_000 {
            corpus += w + "\n"
            count += w.utf8.count + 1
        }
        try POSIXFiles.writeText(path, corpus)
    }

    /// A Duration literal for `seconds` (whole milliseconds).
    private static func duration(_ seconds: Double) -> String { "\(Int((seconds * 1000).rounded()))ms" }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
