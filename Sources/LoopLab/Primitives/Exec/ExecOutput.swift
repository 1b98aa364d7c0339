import Foundation
import Glibc
import LoopLang
import LoopSupport

/// What `exec` keeps of a command's combined stdout and stderr while it runs: every byte in a
/// temporary file (stored as an artifact afterwards, so a long log never sits in memory), the
/// last lines for the record, the `key: value` lines parsed as fields, and an echo to the
/// terminal that thins itself out when the command is chatty.
final class ExecOutput {
    static let tailLines = 50
    /// Longer lines are cut in the tail and echo (the artifact keeps them whole).
    static let maxLineBytes = 4096

    let file: URL
    private let fd: Int32
    private var partial: [UInt8] = []
    private(set) var tail: [String] = []
    /// Parsed `key: value` lines in first-seen order; a later line with the same key wins.
    private(set) var fields: [(String, Value)] = []
    private var fieldIndex: [String: Int] = [:]
    private(set) var bytes = 0

    private let echo: OutputSink?
    /// Echo budget: a burst of 20 lines, then 10 a second; lines beyond it are counted, not shown.
    private var tokens = 20.0
    private var lastRefill = Monotonic.seconds()
    private(set) var hiddenLines = 0

    init(echo: OutputSink?) throws(LoopError) {
        self.echo = echo
        var template = Array((NSTemporaryDirectory() + "/looplab-exec-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw execError("exec: cannot create a temporary file for the output: \(String(cString: strerror(errno)))") }
        self.fd = fd
        self.file = URL(fileURLWithPath: template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    deinit {
        close(fd)
        unlink(file.path)
    }

    func consume(_ chunk: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < chunk.count {
            let n = write(fd, chunk.baseAddress! + offset, chunk.count - offset)
            if n <= 0 { if errno == EINTR { continue } else { break } }
            offset += n
        }
        bytes += chunk.count
        // Progress bars redraw with \r: each redraw counts as a line.
        for byte in chunk.bindMemory(to: UInt8.self) {
            if byte == 10 || byte == 13 {
                endLine()
            } else if partial.count < ExecOutput.maxLineBytes {
                partial.append(byte)
            }
        }
    }

    /// Ends the last line if the command did not; call once the output is closed.
    func finish() {
        if !partial.isEmpty { endLine() }
        if hiddenLines > 0 {
            echo?.write("… \(hiddenLines) more line\(hiddenLines == 1 ? "" : "s") not shown (the whole output is kept as the record's artifact)\n")
            echo?.flush()
        }
    }

    private func endLine() {
        let line = String(decoding: partial, as: UTF8.self)
        partial.removeAll(keepingCapacity: true)
        if line.isEmpty { return }
        tail.append(line)
        if tail.count > ExecOutput.tailLines { tail.removeFirst(tail.count - ExecOutput.tailLines) }
        if let (key, value) = ExecOutput.parseField(line) {
            if let i = fieldIndex[key] { fields[i].1 = value } else {
                fieldIndex[key] = fields.count
                fields.append((key, value))
            }
        }
        show(line)
    }

    private func show(_ line: String) {
        guard let echo else { return }
        let now = Monotonic.seconds()
        tokens = min(20, tokens + (now - lastRefill) * 10)
        lastRefill = now
        guard tokens >= 1 else { hiddenLines += 1; return }
        tokens -= 1
        echo.write(line + "\n")
        echo.flush()
    }

    /// `name: value` with an identifier name and a non-empty value: Int, then Float, else the
    /// String. `val_bpb: 0.997` gives ("val_bpb", 0.997).
    static func parseField(_ line: String) -> (String, Value)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon].trimmingCharacters(in: .whitespaces)
        guard let first = key.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)),
              key.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) })
        else { return nil }
        let text = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        if let i = Int(text) { return (key, .int(i)) }
        if let d = Double(text), !text.hasPrefix("0x") { return (key, .float(d)) }
        return (key, .string(text))
    }
}

