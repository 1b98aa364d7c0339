import Glibc

/// Where `print` writes. The REPL captures cell output through its own sink.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    func flush()
}

/// Buffered standard output, flushed at each newline when stdout is a terminal.
public final class StandardOutput: OutputSink {
    private let interactive: Bool
    private var buffer: [UInt8] = []

    public init() { interactive = isatty(1) != 0 }

    deinit { flush() }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if interactive || buffer.count > 1 << 16 { flush() }
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
