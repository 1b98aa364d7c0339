/// What one call to `LineEditor.readLine` produced.
public enum LineResult: Equatable, Sendable {
    /// A line the user entered (without its newline; may hold newlines when pasted or recalled).
    case line(String)
    /// Ctrl-C at the prompt: the line being typed is dropped and a fresh prompt follows.
    case interrupted
    /// Ctrl-D on an empty line (or the input ended): the session is over.
    case eof
}

/// Candidates for tab completion: each replaces the text from `start` (a UTF-8 offset into the
/// line) up to the cursor.
public struct Completion: Equatable, Sendable {
    public var start: Int
    public var candidates: [String]
    /// Appended after a unique candidate: a space after a keyword or command, nothing after a
    /// name (the user usually types `(` or `.` next) or a path.
    public var appendSpace: Bool

    public init(start: Int, candidates: [String], appendSpace: Bool = false) {
        self.start = start
        self.candidates = candidates
        self.appendSpace = appendSpace
    }

    public static let none = Completion(start: 0, candidates: [])
}

/// Completes the line being edited: `(line, cursor)` with the cursor as a UTF-8 offset.
public typealias CompletionHandler = (_ line: String, _ cursor: Int) -> Completion

/// The REPL's only window onto the terminal. `ReadlineEditor` is the real one; tests script a
/// fake so the REPL's behaviour is tested without a terminal.
public protocol LineEditor: AnyObject {
    /// Shows `prompt` and reads one line. On Ctrl-C and Ctrl-D the editor leaves the cursor at
    /// the start of a fresh line.
    func readLine(prompt: String) -> LineResult
    /// Records a complete cell (possibly several lines) as one history entry.
    func addHistory(_ entry: String)
    /// Called when the user asks for completion (Tab).
    var completionHandler: CompletionHandler? { get set }
}
