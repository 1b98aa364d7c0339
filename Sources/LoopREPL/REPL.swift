import LoopLang
import LoopLab

/// The interactive session: reads cells through a `LineEditor`, evaluates them in one
/// interpreter session, echoes numbered results and handles `:` meta-commands.
///
///     [1]> let xs = [3, 1, 2]
///     [2]> xs.sorted()
///     [2] [1, 2, 3]
///     [3]> fn double(x) {
///     ...>   x * 2
///     ...> }
///
/// Every cell of code gets a number (its errors point into `cell[N]`); a non-nil result is
/// echoed as `[N] value` and bound to `_` and `_N`. A trailing `;` hides the echo (the result
/// is still bound).
public final class REPL {
    public let interpreter: Interpreter
    public let editor: any LineEditor
    let out: CellOutput
    /// When true, SIGINT interrupts running code (`InterruptSignal`) for the whole session.
    /// Off by default so tests never touch process-wide signal handlers.
    public var handlesSignals: Bool

    /// The number the next cell of code will get.
    public internal(set) var nextCellNumber = 1
    /// Everything run in this session, in order, for `:history` and `:save`.
    var cells: [SessionCell] = []
    /// The error of the last cell that failed.
    var lastError: LoopError?
    private var pending: [String] = []
    /// What is open at the end of `pending` (brackets, strings), scanned a line at a time.
    private var pendingScan = SourceScan("")
    private var blankLinesInCell = 0
    var quitRequested = false

    /// - Parameters:
    ///   - output: where echoes, errors and `print` go; defaults to the interpreter's output.
    ///     The interpreter's `output` is redirected through the REPL so cell output can be saved.
    public init(interpreter: Interpreter, editor: any LineEditor, output: (any OutputSink)? = nil, handlesSignals: Bool = false) {
        self.interpreter = interpreter
        self.editor = editor
        self.out = CellOutput(base: output ?? interpreter.output)
        self.handlesSignals = handlesSignals
        interpreter.output = out
    }

    /// The prompt for the first line of a cell: `[3]> `.
    public var prompt: String { "[\(nextCellNumber)]> " }

    /// The prompt for further lines of an unfinished cell, as wide as `prompt`: `...> `.
    public var continuationPrompt: String {
        String(repeating: " ", count: max(0, prompt.count - 5)) + "...> "
    }

    /// Runs the session until Ctrl-D or `:quit`; gives the process exit status.
    public func run() -> Int32 {
        Interpreter.onLargeStack { self.loop() }
    }

    private func loop() -> Int32 {
        // Leaving the session closes the project store (its WAL folded back into looplab.db).
        defer { LoopLab.finish(interpreter) }
        // Charts drawn in the session are kept for `:save` (as SVG beside the notebook).
        _ = PlotCapture.install(on: interpreter)
        if handlesSignals { InterruptSignal.install() }
        defer { if handlesSignals { InterruptSignal.uninstall() } }
        editor.completionHandler = { [unowned self] line, cursor in
            Completer(interpreter: interpreter).complete(line: line, cursor: cursor, context: pending.joined(separator: "\n"))
        }
        defer { editor.completionHandler = nil }
        while !quitRequested {
            out.flush()
            switch editor.readLine(prompt: pending.isEmpty ? prompt : continuationPrompt) {
            case .eof:
                // The editor has already moved past the prompt.
                out.flush()
                return 0
            case .interrupted:
                pending = []
                pendingScan = SourceScan("")
                blankLinesInCell = 0
            case .line(let line):
                accept(line)
            }
        }
        out.flush()
        return 0
    }

    /// Takes one line from the editor: starts or continues a cell, or runs a meta-command.
    func accept(_ line: String) {
        let trimmed = line.trimmingWhitespace()
        if pending.isEmpty {
            if trimmed.isEmpty { return }
            if trimmed.hasPrefix(":") {
                editor.addHistory(trimmed)
                runCommand(trimmed)
                return
            }
        }
        pending.append(line)
        pendingScan.feed(line + "\n")
        // Parsing the whole cell at every line made a pasted 5,000-line cell quadratic: while a
        // bracket or a string is still open the cell cannot be complete, so the parser waits.
        if pendingScan.isCertainlyIncomplete || Interpreter.isIncomplete(pending.joined(separator: "\n")) {
            // Two blank lines give up on an unfinished cell, so the user sees what is missing.
            blankLinesInCell = trimmed.isEmpty ? blankLinesInCell + 1 : 0
            if blankLinesInCell < 2 { return }
        }
        let source = pending.joined(separator: "\n")
        pending = []
        pendingScan = SourceScan("")
        blankLinesInCell = 0
        let cell = source.trimmingTrailingBlankLines()
        editor.addHistory(cell)
        runCell(cell)
    }

    /// Evaluates `source` as cell N, echoes its result, and records it. Gives the result, or nil
    /// when the cell failed.
    @discardableResult
    func runCell(_ source: String) -> Value? {
        let number = nextCellNumber
        nextCellNumber += 1
        var cell = SessionCell(number: number, source: source)
        out.startRecording()
        let outcome = evaluate(SourceFile(name: "cell[\(number)]", text: source))
        switch outcome {
        case .success(let value):
            if case .nil = value {} else {
                interpreter.define("_", value)
                interpreter.define("_\(number)", value)
                cell.result = value
                if !SourceScan(source).endsWithSemicolon {
                    out.finishLine()
                    // A value that shows on several lines (a table, a chart) starts on its own line.
                    let text = Printer.repr(value)
                    out.write("[\(number)]" + (text.contains("\n") ? "\n" : " ") + text + "\n")
                }
            }
            cell.output = out.stopRecording()
        case .failure(let error):
            cell.output = out.stopRecording()
            cell.failed = true
            lastError = error
            report(error)
        }
        cell.plots = interpreter.attachment(PlotCapture.self)?.take() ?? []
        cells.append(cell)
        return cell.failed ? nil : (cell.result ?? .nil)
    }

    /// Runs a file or cell in the session with Ctrl-C armed; the interrupt flag never outlives it.
    func evaluate(_ file: SourceFile) -> Result<Value, LoopError> {
        Interrupt.clear()
        defer { Interrupt.clear() }
        do {
            return .success(try interpreter.evaluate(file))
        } catch {
            return .failure(error)
        }
    }

    func report(_ error: LoopError) {
        out.finishLine()
        out.write(DiagnosticRenderer.render(error))
    }

    /// Writes a line of the REPL's own (not part of any cell's output).
    func say(_ text: String) {
        out.finishLine()
        out.write(text.hasSuffix("\n") ? text : text + "\n")
    }
}

/// One thing run in the session: a cell of code, or a file run by `:load`.
public struct SessionCell {
    /// The cell number; nil for `:load`.
    public var number: Int?
    public var source: String
    /// Everything the cell printed, including its echo.
    public var output = ""
    public var result: Value?
    public var failed = false
    /// The path given to `:load`.
    public var loadedFrom: String?
    /// The charts the cell drew, as SVG (kept beside a saved notebook).
    public var plots: [String] = []

    public init(number: Int?, source: String, output: String = "", result: Value? = nil, failed: Bool = false, loadedFrom: String? = nil) {
        self.number = number
        self.source = source
        self.output = output
        self.result = result
        self.failed = failed
        self.loadedFrom = loadedFrom
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    func trimmingTrailingBlankLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace), lines.count > 1 { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
