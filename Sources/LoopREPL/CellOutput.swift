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
        // Colours are for the terminal; the notebook keeps plain text.
        recording?.append(text.contains("\u{1B}[") ? CellOutput.strippingColours(text) : text)
        atLineStart = text.utf8.last == UInt8(ascii: "\n")
    }

    func flush() { base.flush() }

    /// `text` without ANSI colour sequences (`ESC [ ... m`).
    static func strippingColours(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            guard c == "\u{1B}" else { out.unicodeScalars.append(c); continue }
            guard let open = scalars.next(), open == "[" else { continue }
            while let d = scalars.next(), d != "m" {}
        }
        return out
    }

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
