import ArgumentParser
import Glibc
import struct LoopLab.WorkerRole
import class LoopTrain.ThreadPool

/// `looplab bench ...`: benchmarks that report ratios against references measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, with references measured in the same run.",
        discussion: """
            Each benchmark prints a table, or with --json one JSON object per line with the fields \
            bench, case, value, unit and, where a reference ran in the same invocation, reference, \
            reference_value and ratio (looplab value / reference value).

            Example:
              looplab bench interp --json
            """,
        subcommands: [InterpBenchCommand.self, ProposeBenchCommand.self, GEMMBenchCommand.self, MLPBenchCommand.self, GPTBenchCommand.self,
                      ReportBenchCommand.self, WorkersBenchCommand.self, MCPBenchCommand.self, LoopBenchCommand.self]
    )
}

/// Options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per line instead of a table.")
    var json = false
}

struct InterpBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interp",
        abstract: "Interpreter speed: fib(30) and a 10M-iteration float loop vs python3 and lua5.4."
    )

    @OptionGroup var options: BenchOptions

    func run() throws {
        do {
            try InterpBench.report().print(json: options.json)
        } catch let wrong as InterpBench.WrongResult {
            Diagnostics.printError("bench interp: case \(wrong.caseName) did not produce the expected result:\n\(wrong.output)")
            throw ExitCode(1)
        }
    }
}

struct ProposeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Search quality and proposal time of the strategies vs Optuna TPE (same run).",
        discussion: """
            Runs the default strategy and TPE on Branin, Hartmann-6, Rosenbrock-4 and Hartmann-6 \
            with a 5-way categorical (sequential trials, no noise), reporting the median over seeds \
            of the simple regret at 50 and 100 trials, and milliseconds per proposal at 500 trials. \
            When optuna is importable (by LOOPLAB_PYTHON, else python3), Optuna's TPE runs the same \
            protocol in the same invocation (scripts/compare/propose_optuna.py) and ratios are shown.
            """
    )

    @OptionGroup var options: BenchOptions
    @Option(help: "Seeds per objective.") var seeds = 20
    @Option(help: "Trials per run.") var trials = 100

    func run() throws {
        guard seeds > 0, trials >= 10 else { throw ValidationError("--seeds must be positive and --trials at least 10") }
        var o = ProposeBench.Options()
        o.seeds = seeds
        o.trials = trials
        ProposeBench.report(o).print(json: options.json)
    }
}

struct ReportBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The study report and the dashboard's study page for a study of 10,000 trials (targets: 1 s and 200 ms)."
    )

    @OptionGroup var options: BenchOptions
    @Option(help: "Trials in the study.") var trials = 10_000
    @Option(help: "Timed repetitions; the median is reported.") var rounds = 5

    func run() throws {
        guard trials >= 2, trials <= 1_000_000, rounds >= 1, rounds <= 100 else {
            Diagnostics.printError("bench report: --trials must be in 2...1000000 and --rounds in 1...100")
            throw ExitCode(ExitStatus.usage)
        }
        try ReportBench.report(trials: trials, rounds: rounds).print(json: options.json)
    }
}

struct MCPBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "ask+tell latency of `looplab mcp` over stdio at a 500-trial study, vs Optuna's optuna-mcp (same run; target <= 5 ms).",
        discussion: """
            First through a minimal JSON-RPC client (the server's own cost), then through the \
            official MCP Python SDK client against both looplab mcp and optuna-mcp \
            (scripts/compare/mcp_optuna.py; needs `pip install mcp` for LOOPLAB_PYTHON, else \
            python3). optuna-mcp needs Python >= 3.12: make a venv with \
            `pip install optuna-mcp 'mcp[cli]<2'` and pass its python as --optuna-python.
            """
    )

    @OptionGroup var options: BenchOptions
    @Option(help: "Trials (ask+tell pairs) per server.") var trials = 500
    @Option(help: ArgumentHelp("A Python that has optuna-mcp installed (default: the client's).", valueName: "PATH")) var optunaPython: String?

    func run() throws {
        guard (10...100_000).contains(trials) else {
            Diagnostics.printError("bench mcp: --trials must be in 10...100000, got \(trials)")
            throw ExitCode(ExitStatus.usage)
        }
        try MCPBench.report(trials: trials, optunaPython: optunaPython).print(json: options.json)
    }
}

struct WorkersBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "Trials/s of one study run by 1, 2, 4 and 8 worker processes vs Optuna's RDB storage (same run).",
        discussion: """
            A trivial objective with the random strategy, so the store and the claiming protocol \
            are measured. With optuna importable (LOOPLAB_PYTHON, else python3), \
            scripts/compare/workers_optuna.py runs the same protocol with Optuna's RDBStorage on \
            the same kind of store in the same invocation (PostgreSQL needs psycopg2).

            The PostgreSQL rows run on --postgres URL, else on a throwaway cluster started with \
            scripts/pg-throwaway (run from the repository; needs Debian's postgresql). They end \
            with the store's own cost per trial at the end of a --overhead-trials study.
            """
    )

    @OptionGroup var options: BenchOptions
    @Option(help: "Trials per study.") var trials = 2000
    @Option(help: "Worker counts, comma-separated.") var workers = "1,2,4,8"
    @Option(help: "Seeds for the proposal-quality case (Hartmann-6, 60 trials, 4 workers vs 1); 0 skips it. Both regrets are often near 0, where their ratio is noisy: fewer than 9 seeds is a smoke test.") var regretSeeds = 9
    @Option(help: "Stores to measure, comma-separated: sqlite, postgres.") var backends = "sqlite,postgres"
    @Option(help: ArgumentHelp("The PostgreSQL server for the postgres rows (default: a throwaway cluster).", valueName: "URL")) var postgres: String?
    @Option(help: "Trials of the store-overhead case (PostgreSQL beside SQLite); 0 skips it.") var overheadTrials = 10_000

    func run() throws {
        let counts = workers.split(separator: ",").compactMap { Int($0) }
        guard (2...1_000_000).contains(trials), !counts.isEmpty, counts.allSatisfy({ (1...WorkerRole.maxCount).contains($0) }),
              (0...100).contains(regretSeeds), (0...1_000_000).contains(overheadTrials) else {
            Diagnostics.printError("bench workers: --trials must be in 2...1000000, --workers a list like 1,2,4,8 (each 1...\(WorkerRole.maxCount)), --regret-seeds in 0...100 and --overhead-trials in 0...1000000")
            throw ExitCode(ExitStatus.usage)
        }
        let stores = backends.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !stores.isEmpty, stores.allSatisfy({ ["sqlite", "postgres"].contains($0) }) else {
            Diagnostics.printError("bench workers: --backends is a list of sqlite and postgres, got '\(backends)'")
            throw ExitCode(ExitStatus.usage)
        }
        try WorkersBench.report(trials: trials, workerCounts: counts, regretSeeds: regretSeeds, backends: stores,
                                server: postgres.map(WorkersBench.Server.url) ?? .throwaway, overheadTrials: overheadTrials).print(json: options.json)
    }
}

struct LoopBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loop",
        abstract: "Time to quality of the whole research loop vs Optuna TPE + PyTorch CPU (same run, alternating seeds).",
        discussion: """
            digits: a study of a 6-parameter MLP space (lr, hidden, layers, weight decay, batch, \
            epochs), run by `looplab run` for --budget seconds per seed, beside Optuna's TPE and \
            PyTorch training the same models on the same split (scripts/compare/loop_efficacy.py, \
            with LOOPLAB_PYTHON, else python3). charlm: the same for a char-level gpt under a \
            per-trial training budget, scored by validation bits per character.

            For each seed: the quality both reached (the worse of the two bests), the seconds each \
            side took to reach it, and their ratio (below 1: Looplab sooner); the trials each ran; \
            for digits the test accuracy of each best refit; the median ratio last. Default \
            settings run in about 9 minutes.

            Looplab's study runs as `looplab run --workers N` (N = --workers, by default one \
            worker per CPU): models this small gain little from a second thread, so trials run \
            side by side, each on its share of the CPUs. PyTorch runs one trial at a time on \
            --threads threads, as the Optuna anchor does.

            Example:
              LOOPLAB_PYTHON=.venv/bin/python looplab bench loop --seeds 3 --budget 60
              looplab bench loop --tasks digits --study-options 'strategy: "gp", pruner: "median"'
            """
    )

    @OptionGroup var options: BenchOptions
    @Option(help: "Which tasks, comma-separated: digits, charlm.") var tasks = "digits,charlm"
    @Option(help: "digits: seeds (each runs both sides).") var seeds = 3
    @Option(help: "digits: seconds of search per side and seed.") var budget = 60.0
    @Option(help: "charlm: seeds.") var lmSeeds = 1
    @Option(help: "charlm: seconds of search per side and seed.") var lmBudget = 60.0
    @Option(help: "charlm: seconds of training per trial.") var lmTrialBudget = 3.0
    @Option(help: "Looplab's side: worker processes, each training on CPUs / N threads (default: one per CPU; 1 runs one process on every CPU).")
    var workers = ThreadPool.availableCPUs
    @Option(help: ArgumentHelp("Looplab's side: more arguments for its study(...) call.", valueName: "ARGS")) var studyOptions: String?
    @Option(help: "digits.csv (default: ../shared/data/digits.csv).") var digits: String?
    @Option(help: "Threads PyTorch uses.") var threads = 2

    func validate() throws {
        let chosen = tasks.split(separator: ",").map(String.init)
        guard !chosen.isEmpty, chosen.allSatisfy(["digits", "charlm"].contains) else {
            throw ValidationError("--tasks takes digits, charlm or both (comma-separated), got '\(tasks)'")
        }
        guard seeds >= 1, lmSeeds >= 1, seeds <= 100, lmSeeds <= 100 else { throw ValidationError("--seeds and --lm-seeds must be in 1...100") }
        for (name, value) in [("--budget", budget), ("--lm-budget", lmBudget), ("--lm-trial-budget", lmTrialBudget)] {
            guard value.isFinite, value >= 0.1, value <= 86_400 else { throw ValidationError("\(name) must be a number of seconds in 0.1...86400, got \(value)") }
        }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be in 1...64, got \(workers)") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
    }

    func run() throws {
        var o = LoopBench.Options()
        o.tasks = tasks.split(separator: ",").map(String.init)
        (o.seeds, o.budget, o.lmSeeds, o.lmBudget, o.lmTrialBudget) = (seeds, budget, lmSeeds, lmBudget, lmTrialBudget)
        (o.workers, o.studyOptions, o.digitsPath, o.threads) = (workers, studyOptions, digits, threads)
        do {
            try LoopBench.report(o).print(json: options.json)
        } catch let failure as ReportBench.BenchFailure {
            Diagnostics.printError("bench loop: \(failure.description)")
            throw ExitCode(1)
        }
    }
}
