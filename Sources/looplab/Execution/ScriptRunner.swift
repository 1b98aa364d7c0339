import LoopLab
import LoopLang

/// Runs one program (a file, `-e` code or stdin) the way every non-interactive entry point does:
/// on the interpreter's large stack, output flushed before errors are printed, and the exit
/// status chosen by when the error was found.
enum ScriptRunner {
    enum Source {
        case file(String)
        case code(String)
        case standardInput

        func load() throws(POSIXFiles.Failure) -> SourceFile {
            switch self {
            case .file(let path):
                return SourceFile(name: path, text: try POSIXFiles.readText(path), path: POSIXFiles.absolute(path))
            case .code(let code):
                return SourceFile(name: "<-e>", text: code)
            case .standardInput:
                return SourceFile(name: "<stdin>", text: try POSIXFiles.readText("/dev/stdin"))
            }
        }

        var displayName: String {
            switch self {
            case .file(let path): return path
            case .code: return "<-e>"
            case .standardInput: return "<stdin>"
            }
        }
    }

    static func run(source: Source, arguments: [String], settings: HostSettings = .fromEnvironment()) -> Int32 {
        let file: SourceFile
        do throws(POSIXFiles.Failure) {
            file = try source.load()
        } catch {
            Diagnostics.printError("error: cannot read '\(source.displayName)': \(error.reason)")
            return ExitStatus.usage
        }
        InterruptHandler.install()
        return Interpreter.onLargeStack {
            let interpreter = LoopLab.makeInterpreter(arguments: arguments, settings: settings)
            // The store is closed (its WAL folded back) however the program ends.
            defer { LoopLab.finish(interpreter) }
            do throws(LoopError) {
                _ = try interpreter.run(file)
                interpreter.output.flush()
                // A Ctrl-C that stopped an `exec` as the program's last step still stops it.
                if Interrupt.isUserRequested { throw LoopError(.interrupted) }
                return ExitStatus.success
            } catch {
                interpreter.output.flush()
                if error.kind == "interrupted", Interrupt.isTerminating {
                    Diagnostics.printError("error: terminated (SIGTERM)")
                    return ExitStatus.terminated
                }
                Diagnostics.printError(DiagnosticRenderer.render(error))
                if error.kind == "interrupted" { return ExitStatus.interrupted }
                // Syntax errors and what the compiler finds before anything runs (an undefined
                // name, a redeclaration) are usage errors; what is raised while running is not.
                return error.isStatic ? ExitStatus.usage : ExitStatus.runtime
            }
        }
    }
}
