import ArgumentParser
import Glibc
import LoopLab
import LoopLang
import LoopREPL
import LoopStorePostgres

/// `looplab`: runs `.loop` scripts, checks them, benchmarks the interpreter, and with no
/// arguments opens the REPL (or, when stdin is not a terminal, runs what it reads).
@main
struct Looplab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "looplab",
        abstract: "A notebook-style REPL and scripting language for ML research loops.",
        discussion: """
            With no arguments, looplab opens the interactive REPL when stdin is a terminal, and \
            otherwise runs the program it reads from stdin.

            Examples:
              looplab                          start the REPL
              looplab run examples/tour.loop   run a script
              looplab run sweep.loop 0.1 64    the script sees ["0.1", "64"] as args
              echo 'print(1 + 1)' | looplab    run code from stdin
              looplab -e 'print(sqrt(2))'      run one line of code
              looplab check *.loop             report syntax and name errors, run nothing
              looplab bench interp --json      interpreter speed vs python3 and lua5.4
              looplab skill install PACK       install a shared skill pack (see skill --help)

            Exit status: 0 success, 1 runtime error (including a study stopped because its trials
            kept failing), 2 usage or syntax error, 130 Ctrl-C, 143 SIGTERM.
            LOOPLAB_STDLIB=DIR overrides where the .loop standard library is found.
            """,
        version: LoopLab.version,
        subcommands: [RunCommand.self, CheckCommand.self, BenchCommand.self,
                      StudiesCommand.self, TrialsCommand.self, BestCommand.self, StoreCommand.self, RecallCommand.self, ExportCommand.self, ModelsCommand.self, ReportCommand.self, NotebookCommand.self, DashboardCommand.self, MCPCommand.self, DocCommand.self,
                      SkillCommand.self]
    )

    @Option(name: [.customShort("e"), .customLong("eval")], help: ArgumentHelp("Run CODE and exit.", valueName: "CODE"))
    var eval: String?

    /// swift-argument-parser exits with 64 (EX_USAGE) on bad usage; looplab promises 2.
    static func main() {
        // `--store postgresql://…` (and LOOPLAB_STORE) reach a PostgreSQL server.
        PostgresStore.register()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                Diagnostics.printError(fullMessage(for: error))
                Glibc.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
        Glibc.exit(ExitStatus.success)
    }

    func run() throws {
        let status: Int32
        if let eval {
            status = ScriptRunner.run(source: .code(eval), arguments: [])
        } else if isatty(0) != 0 {
            InterruptHandler.unblockInterrupt()
            status = Interpreter.onLargeStack {
                let interpreter = LoopLab.makeInterpreter(arguments: [])
                let code = REPLMain.run(interpreter: interpreter)
                interpreter.output.flush()
                return code
            }
        } else {
            status = ScriptRunner.run(source: .standardInput, arguments: [])
        }
        if status != 0 { throw ExitCode(status) }
    }
}
