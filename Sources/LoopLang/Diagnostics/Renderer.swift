/// Renders a `LoopError` as the user sees it:
///
///     error: undefined variable 'lrr'
///       --> tune.loop:4:13
///        |
///      4 | train(m, lr: lrr)
///        |              ^^^
///        = name error
///
/// followed, for runtime errors, by the `.loop` call stack (innermost call first).
public enum DiagnosticRenderer {
    public static func render(_ error: LoopError) -> String {
        var out = "error: \(error.message)\n"
        var gutter = 1
        if let span = error.span {
            let (line, column) = span.file.location(of: span.start)
            gutter = String(line).count
            let blank = String(repeating: " ", count: gutter + 2) + "|"
            out += String(repeating: " ", count: gutter + 1) + "--> \(span.file.name):\(line):\(column)\n"
            let text = span.file.lineText(line)
            let (endLine, endColumn) = span.file.location(of: span.end)
            let width = endLine == line ? max(1, endColumn - column) : max(1, text.count - column + 1)
            let excerpt = Self.excerpt(of: text, column: column, width: width)
            out += blank + "\n"
            out += " \(line) | \(excerpt.text)\n"
            out += blank + " " + String(repeating: " ", count: excerpt.column - 1) + String(repeating: "^", count: excerpt.width) + "\n"
        }
        let pad = String(repeating: " ", count: gutter + 2)
        out += "\(pad)= \(error.kind) error\n"
        // Recursion repeats one frame many times: show it once with a count.
        var i = 0
        let trace = error.trace
        while i < trace.count {
            var j = i + 1
            while j < trace.count, trace[j].function == trace[i].function,
                  trace[j].callSite?.start == trace[i].callSite?.start, trace[j].callSite?.file === trace[i].callSite?.file { j += 1 }
            let frame = trace[i]
            var line = "\(pad)= in \(frame.function)()"
            if let site = frame.callSite { line += ", called from \(site.file.name):\(site.line):\(site.column)" }
            let repeats = j - i
            out += line + (repeats > 1 ? " (\(repeats) times)" : "") + "\n"
            i = j
        }
        if error.omittedFrames > 0 { out += "\(pad)= ... and \(error.omittedFrames) more calls\n" }
        return out
    }

    /// At most `excerptWidth` characters of a long line around the caret, cut ends marked `…`,
    /// so a syntax error in a 10 MB line prints a line, not the 10 MB.
    static let excerptWidth = 160

    static func excerpt(of text: String, column: Int, width: Int) -> (text: String, column: Int, width: Int) {
        let length = text.count
        guard length > excerptWidth else { return (text, column, width) }
        let shownWidth = min(width, excerptWidth / 2)
        let start = max(0, min(column - 1 - (excerptWidth - shownWidth) / 2, length - excerptWidth))
        let end = min(length, start + excerptWidth)
        let from = text.index(text.startIndex, offsetBy: start), to = text.index(from, offsetBy: end - start)
        let head = start > 0 ? "…" : "", tail = end < length ? "…" : ""
        return (head + text[from..<to] + tail, column - start + head.count, shownWidth)
    }

    /// One line: `tune.loop:4:13: error: undefined variable 'lrr'` (for `looplab check`, editors).
    public static func renderShort(_ error: LoopError) -> String {
        guard let span = error.span else { return "error: \(error.message)" }
        return "\(span.file.name):\(span.line):\(span.column): error: \(error.message)"
    }
}
