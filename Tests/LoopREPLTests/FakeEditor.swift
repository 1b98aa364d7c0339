import LoopLang
import LoopREPL

/// A scripted `LineEditor`: hands the REPL one step at a time and writes what a terminal would
/// show (prompt, typed line) into the same sink the REPL writes to, so a test reads one transcript.
final class FakeEditor: LineEditor {
    enum Step {
        case line(String)
        case interrupt
        case eof
        /// Asks for completion of this line (cursor at its end), as Tab would; the result is kept
        /// in `completions` and the script moves on.
        case complete(String)
    }

    var completionHandler: CompletionHandler?
    private var steps: [Step]
    private let transcript: CapturedOutput?
    private(set) var prompts: [String] = []
    private(set) var history: [String] = []
    private(set) var completions: [Completion] = []

    init(_ steps: [Step], transcript: CapturedOutput? = nil) {
        self.steps = steps
        self.transcript = transcript
    }

    func readLine(prompt: String) -> LineResult {
        while let step = steps.first {
            steps.removeFirst()
            switch step {
            case .complete(let line):
                completions.append(completionHandler?(line, line.utf8.count) ?? .none)
                continue
            case .line(let text):
                prompts.append(prompt)
                transcript?.write(prompt + text + "\n")
                return .line(text)
            case .interrupt:
                prompts.append(prompt)
                transcript?.write(prompt + "^C\n")
                return .interrupted
            case .eof:
                prompts.append(prompt)
                transcript?.write(prompt + "\n")
                return .eof
            }
        }
        prompts.append(prompt)
        transcript?.write(prompt + "\n")
        return .eof
    }

    func addHistory(_ entry: String) { history.append(entry) }

    /// Steps still unread (a `:quit` leaves some).
    var remainingSteps: Int { steps.count }
}
