/// A piece of `.loop` source text with a display name (`tune.loop`, `cell[3]`, `<-e>`).
public final class SourceFile: @unchecked Sendable {
    public let name: String
    /// The file's path on disk when it came from one; `use` resolves relative paths against it.
    public let path: String?
    public let text: String
    /// UTF-8 bytes of `text`; the lexer works on bytes and spans are byte offsets.
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(name: String, text: String, path: String? = nil) {
        self.name = name
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        let start = lo == 0 && clamped >= bomLength ? bomLength : lineStarts[lo]
        let column = String(decoding: bytes[start..<clamped], as: UTF8.self).count + 1
        return (lo + 1, column)
    }

    /// The text of a 1-based line, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = line == 1 ? min(bomLength, bytes.count) : lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    public var lineCount: Int { lineStarts.count }

    /// 3 when the text starts with a UTF-8 byte order mark (which the lexer skips), else 0.
    var bomLength: Int { bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0 }

    public func text(of span: SourceSpan) -> String {
        let s = max(0, min(span.start, bytes.count)), e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

/// A half-open byte range in a source file. Errors carry one; the renderer turns it into
/// `file:line:col` and a caret line.
public struct SourceSpan: Sendable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    public func to(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var line: Int { file.location(of: start).line }
    public var column: Int { file.location(of: start).column }
}
