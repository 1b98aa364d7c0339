import Glibc

/// The one way Looplab reads a whole file into memory (source files, `read_file`, CSVs, texts,
/// checkpoints, pack archives): with a size limit, so `/dev/zero`, a 100 GB log or a directory
/// give a clear error instead of exhausting memory or reading forever.
///
/// A regular file's size is checked before anything is read. Devices (`/dev/zero`,
/// `/dev/urandom`; not a terminal) are refused outright; pipes and FIFOs (`/dev/stdin` from a pipe) and files
/// that report no size (`/proc/...`) are read up to the limit.
public enum BoundedFile {
    /// Why a file could not be read, as data; `reason` is the text for messages.
    public enum Failure: Error, Sendable, Equatable {
        /// The system refused (`No such file or directory`, `Permission denied`...).
        case system(String)
        case directory
        case device
        case tooLarge(size: Double?, limit: Double)

        /// `No such file or directory`, `it is a directory`, `it is 100 GB, more than ...`.
        public var reason: String {
            switch self {
            case .system(let text): return text
            case .directory: return "it is a directory, not a file"
            case .device: return "it is a device, not a file"
            case .tooLarge(let size, let limit):
                let what = size.map { "it is \(ByteCount.format($0))" } ?? "it holds more than that"
                return "\(what), more than the \(ByteCount.format(limit)) Looplab reads into memory at once"
            }
        }
    }

    /// The default limit: 2 GB, or a quarter of `MemoryBudget.override` when one is set (a file
    /// read as text is usually parsed into something several times its size).
    public static var defaultLimit: Int { Int(min(2e9, Double(MemoryBudget.override ?? Int(8e9)) / 4)) }

    /// The whole file as bytes, refusing anything larger than `limit` bytes.
    public static func read(_ path: String, limit: Int = defaultLimit) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .system(String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system(String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: throw .directory
        case S_IFCHR, S_IFBLK:
            // A terminal is a device too, but reading one (`looplab run -` typed in) ends at Ctrl-D.
            if isatty(fd) == 0 { throw .device }
        default: break
        }
        // Back to blocking reads now that opening a FIFO without a writer cannot hang.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        let size = Int(st.st_size)
        if size > limit { throw .tooLarge(size: Double(size), limit: Double(limit)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(String(cString: strerror(errno)))
            }
            if n == 0 { return bytes }
            if bytes.count + n > limit { throw .tooLarge(size: nil, limit: Double(limit)) }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// The whole file as text (invalid UTF-8 becomes U+FFFD).
    public static func readText(_ path: String, limit: Int = defaultLimit) throws(Failure) -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }
}
