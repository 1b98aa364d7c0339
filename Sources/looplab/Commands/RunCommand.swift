import ArgumentParser
import LoopLab

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
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Answer yes to the policy's confirmations (policy {confirm: [...]}); same as LOOPLAB_YES=1.")
    var yes = false

    @Flag(name: .customLong("write-back"), help: "Run a notebook (cells start with `# %%`) cell by cell, REPL-style, and write each cell's output into the file as `#> ` lines (errors as `#! `).")
    var writeBack = false

    @Option(name: .customShort("p"), help: ArgumentHelp("With --write-back: override a `let` of the `# %% parameters` cell (repeatable).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Argument(help: ArgumentHelp("The script to run (`-` reads stdin).", valueName: "FILE"))
    var file: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script (its `args`).", valueName: "ARGS"))
    var arguments: [String] = []

    func run() throws {
        let settings = HostSettings.fromEnvironment().overridden(storePath: store.store, assumeYes: yes)
        if writeBack {
            let status = try NotebookCommandSupport.runWriteBack(file, parameters: parameters, arguments: arguments, settings: settings)
            if status != 0 { throw ExitCode(status) }
            return
        }
        if !parameters.isEmpty {
            Diagnostics.printError("looplab run: -p sets a notebook's parameters and needs --write-back")
            throw ExitCode(ExitStatus.usage)
        }
        let source: ScriptRunner.Source = file == "-" ? .standardInput : .file(file)
        let status = ScriptRunner.run(source: source, arguments: arguments, settings: settings)
        if status != 0 { throw ExitCode(status) }
    }
}
