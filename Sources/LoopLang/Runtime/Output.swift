import Glibc

/// Where `print` writes. The REPL captures cell output through its own sink.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    func flush()
}

/// Standard output, written through at every newline (a terminal also sees partial lines at once).
///
/// Line by line even into a file or a pipe: a script's output must survive the process being
/// killed (SIGKILL, an OOM kill) up to its last complete line, and a log someone tails must be
/// current. Printing is rarely the bottleneck of a research script; see docs/language.md for
/// what it costs.
public final class StandardOutput: OutputSink {
    private let interactive: Bool
    private var buffer: [UInt8] = []

    public init() { interactive = isatty(1) != 0 }

    deinit { flush() }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if interactive || buffer.count > 1 << 16 || text.utf8.contains(10) { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                let n = Glibc.write(1, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { if errno == EINTR { continue } else { break } }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Collects output in memory (tests, notebook cells).
public final class CapturedOutput: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ s: String) { text += s }
    public func flush() {}
    public func clear() { text = "" }
}
