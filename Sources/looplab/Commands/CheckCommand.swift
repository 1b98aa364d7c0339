import ArgumentParser
import LoopLab
import LoopLang

/// `looplab check FILE...`: parse and resolve names without running (for editors and CI).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find syntax and name errors in .loop files without running them.",
        discussion: """
            Prints one line `file:line:col: error: message` per failing file and exits with \
            status 2 if any file failed, 0 if all are fine.

            Example:
              looplab check examples/*.loop
            """
    )

    @ArgumentParser.Argument(help: ArgumentHelp("The files to check.", valueName: "FILE"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE to check") }
    }

    func run() throws {
        let failures = Interpreter.onLargeStack { () -> Int in
            let interpreter = LoopLab.makeInterpreter(arguments: [])
            var failures = 0
            for path in files {
                let source: SourceFile
                do throws(POSIXFiles.Failure) {
                    source = try ScriptRunner.Source.file(path).load()
                } catch {
                    Diagnostics.printError("\(path): error: cannot read '\(path)': \(error.reason)")
                    failures += 1
                    continue
                }
                do throws(LoopError) {
                    try interpreter.check(source)
                } catch {
                    Diagnostics.printError(DiagnosticRenderer.renderShort(error))
                    failures += 1
                }
            }
            return failures
        }
        if failures > 0 { throw ExitCode(ExitStatus.usage) }
    }
}
