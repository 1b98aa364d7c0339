import LoopLab
import LoopLang
import LoopREPL

/// Running a notebook with `--write-back`, shared by the command line's entry points.
enum NotebookCommandSupport {
    /// Runs the notebook at `path`, rewrites it, and gives the exit status: 0, 1 when a cell
    /// raised, 130 (143 after SIGTERM) when the run was interrupted, 2 for bad usage.
    static func runWriteBack(_ path: String, parameters: [String], arguments: [String], settings: HostSettings = .fromEnvironment()) throws -> Int32 {
        var overrides: [(name: String, value: String)] = []
        for p in parameters {
            guard let eq = p.firstIndex(of: "="), Printer.isIdentifier(String(p[..<eq])) else {
                Diagnostics.printError("looplab run: -p takes NAME=VALUE with NAME a variable name, got '\(p)'")
                return ExitStatus.usage
            }
            overrides.append((String(p[..<eq]), String(p[p.index(after: eq)...])))
        }
        let text: String
        do throws(POSIXFiles.Failure) { text = try POSIXFiles.readText(path) } catch {
            Diagnostics.printError("error: cannot read '\(path)': \(error.reason)")
            return ExitStatus.usage
        }
        let notebook = NotebookFile(text)
        guard notebook.cells.contains(where: { $0.marker != nil }) else {
            Diagnostics.printError("looplab run --write-back: '\(path)' is not a notebook: its cells start with `# %%` lines")
            return ExitStatus.usage
        }
        if !overrides.isEmpty, !notebook.cells.contains(where: \.isParameters) {
            Diagnostics.printError("looplab run: -p needs a `# %% parameters` cell in '\(path)'")
            return ExitStatus.usage
        }
        InterruptHandler.install()
        return Interpreter.onLargeStack {
            let interpreter = LoopLab.makeInterpreter(arguments: arguments, settings: settings)
            defer { LoopLab.finish(interpreter) }
            let (result, outcome) = NotebookRunner(path: path, parameters: overrides).run(notebook, interpreter: interpreter)
            interpreter.output.flush()
            if result.text != text {
                do throws(POSIXFiles.Failure) { try POSIXFiles.writeText(path, result.text) } catch {
                    Diagnostics.printError("error: cannot write '\(path)': \(error.reason)")
                    return ExitStatus.runtime
                }
            }
            switch outcome {
            case .completed: return ExitStatus.success
            case .failed: return ExitStatus.runtime
            case .interrupted: return Interrupt.isTerminating ? ExitStatus.terminated : ExitStatus.interrupted
            }
        }
    }
}
