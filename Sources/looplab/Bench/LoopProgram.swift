import LoopLab
import LoopLang

/// Runs a `.loop` program for a benchmark (Looplab's side measured through the language itself,
/// as a user would write it) and returns the numbers it printed, one per line.
enum LoopProgram {
    struct Failed: Error {
        var message: String
    }

    static func numbers(_ source: String, name: String) -> Result<[Double], Failed> {
        Interpreter.onLargeStack {
            let output = CapturedOutput()
            let interpreter = LoopLab.makeInterpreter(arguments: [], output: output)
            do throws(LoopError) {
                _ = try interpreter.run(SourceFile(name: name, text: source))
            } catch {
                return .failure(Failed(message: DiagnosticRenderer.render(error)))
            }
            return .success(output.text.split(separator: "\n").compactMap { Double($0) })
        }
    }
}
