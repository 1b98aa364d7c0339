import ArgumentParser
import Glibc

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
            """
    )

    @Option(help: ArgumentHelp("The project store's database file (default: $LOOPLAB_STORE, else .looplab/looplab.db here).", valueName: "PATH"))
    var store: String?

    @Flag(help: "Answer yes to the policy's confirmations (policy {confirm: [...]}); same as LOOPLAB_YES=1.")
    var yes = false

    @Argument(help: ArgumentHelp("The script to run (`-` reads stdin).", valueName: "FILE"))
    var file: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script (its `args`).", valueName: "ARGS"))
    var arguments: [String] = []

    func run() throws {
        // The research primitives resolve the store from LOOPLAB_STORE when they first need it.
        if let store { setenv("LOOPLAB_STORE", store, 1) }
        if yes { setenv("LOOPLAB_YES", "1", 1) }
        let source: ScriptRunner.Source = file == "-" ? .standardInput : .file(file)
        let status = ScriptRunner.run(source: source, arguments: arguments)
        if status != 0 { throw ExitCode(status) }
    }
}
