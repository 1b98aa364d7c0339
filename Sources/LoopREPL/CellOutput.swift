import LoopLang

/// Passes everything written to the REPL's sink and, while a cell runs, keeps a copy: the
/// cell's output goes into `:save`'s notebook.
final class CellOutput: OutputSink {
    let base: any OutputSink
    private var recording: String?
    /// True when the last character written was a newline (or nothing was written yet), so the
    /// echo and error messages start on a line of their own.
    private(set) var atLineStart = true

    init(base: any OutputSink) { self.base = base }

    func write(_ text: String) {
        guard !text.isEmpty else { return }
        base.write(text)
        recording?.append(text)
        atLineStart = text.utf8.last == UInt8(ascii: "\n")
    }

    func flush() { base.flush() }

    func startRecording() { recording = "" }

    func stopRecording() -> String {
        defer { recording = nil }
        return recording ?? ""
    }

    /// Ends a line left open by `print`-less output (`write_file` to stdout, partial writes).
    func finishLine() {
        if !atLineStart { write("\n") }
    }
}
