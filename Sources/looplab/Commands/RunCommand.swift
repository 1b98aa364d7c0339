import ArgumentParser
import LoopLab
import enum LoopLang.CallHints
import class LoopLang.SourceFile

/// `looplab run FILE [ARGS...]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .loop script.",
        discussion: """
            Everything after FILE is passed to the script as the list `args`, including words \
            that look like options. Use `-` as FILE to read the script from stdin.

            Examples:
              looplab run examples/tour.loop
              looplab run sweep.loop --trials 20
              cat job.loop | looplab run - fast
              looplab run --store /data/runs.db study.loop
              looplab run --write-back -p lr=0.1 notebook.loop
              looplab run --workers 4 study.loop

            With --workers N (or `study(..., workers: N)` in the script), N worker processes run \
            the script and share its studies through the store: each trial runs once, max_trials \
            holds, and one combined status line replaces the per-worker progress. Ctrl-C stops \
            every worker; the exit status is the worst any worker had.
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Answer yes to the policy's confirmations (policy {confirm: [...]}); same as LOOPLAB_YES=1.")
    var yes = false

    @Flag(name: .customLong("write-back"), help: "Run a notebook (cells start with `# %%`) cell by cell, REPL-style, and write each cell's output into the file as `#> ` lines (errors as `#! `).")
    var writeBack = false

    @Option(name: .customShort("p"), help: ArgumentHelp("With --write-back: override a `let` of the `# %% parameters` cell (repeatable).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("Run the script in N worker processes that share its studies (1...\(WorkerRole.maxCount)); default: the script's `study(..., workers: N)`, else 1.", valueName: "N"))
    var workers: Int?

    @Argument(help: ArgumentHelp("The script to run (`-` reads stdin).", valueName: "FILE"))
    var file: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script (its `args`).", valueName: "ARGS"))
    var arguments: [String] = []

    func run() throws {
        var settings = HostSettings.fromEnvironment().overridden(storePath: store.store, assumeYes: yes)
        settings.storePath = try store.withArtifacts(settings.storePath)
        try store.checkServer(settings.storePath)
        if writeBack, workers != nil {
            Diagnostics.printError("looplab run: --workers and --write-back do not go together (a notebook runs in one process)")
            throw ExitCode(ExitStatus.usage)
        }
        if writeBack {
            let status = try NotebookCommandSupport.runWriteBack(file, parameters: parameters, arguments: arguments, settings: settings)
            if status != 0 { throw ExitCode(status) }
            return
        }
        if !parameters.isEmpty {
            Diagnostics.printError("looplab run: -p sets a notebook's parameters and needs --write-back")
            throw ExitCode(ExitStatus.usage)
        }
        if let count = try workerCount(settings: settings), count > 1 {
            let status = WorkerLauncher.run(file: file, arguments: arguments, settings: settings, workers: count)
            if status != 0 { throw ExitCode(status) }
            return
        }
        let source: ScriptRunner.Source = file == "-" ? .standardInput : .file(file)
        let status = ScriptRunner.run(source: source, arguments: arguments, settings: settings)
        if status != 0 { throw ExitCode(status) }
    }

    /// How many workers to start: --workers, else the script's `study(..., workers: N)`; nil in
    /// a worker itself (a worker never launches more).
    private func workerCount(settings: HostSettings) throws -> Int? {
        guard settings.worker == nil else { return nil }
        if let workers {
            guard (1...WorkerRole.maxCount).contains(workers) else {
                Diagnostics.printError("looplab run: --workers must be in 1...\(WorkerRole.maxCount), got \(workers)")
                throw ExitCode(ExitStatus.usage)
            }
            guard file != "-" else {
                Diagnostics.printError("looplab run: --workers needs a script file (each worker reads it), not stdin")
                throw ExitCode(ExitStatus.usage)
            }
            return workers
        }
        guard file != "-", !writeBack, let text = try? POSIXFiles.readText(file) else { return nil }
        let hinted = CallHints.intArguments(named: "workers", inCallsTo: "study", in: SourceFile(name: file, text: text))
        return hinted.filter { (1...WorkerRole.maxCount).contains($0) }.max()
    }
}
