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
        buffer.withUnsafeBytes { FileDescriptor.writeAll(1, $0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Unbuffered writes to a file descriptor (stdout, stderr), without Foundation.
public enum FileDescriptor {
    /// Writes every byte, retrying after a signal interrupts the write; gives up on any other
    /// error (a closed pipe), since there is nobody left to tell.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n <= 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }

    /// Writes a string's UTF-8 bytes.
    public static func writeAll(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
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
