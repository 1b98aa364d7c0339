import Glibc
import LoopSupport

/// Thin, Foundation-free file access (Foundation adds measurable start-up time to every run).
/// Failures come back as `POSIXFiles.Failure` carrying `strerror`'s text.
public enum POSIXFiles {
    public struct Failure: Error, Sendable {
        public let reason: String
    }

    private static func failure() -> Failure { Failure(reason: String(cString: strerror(errno))) }

    /// The whole file as bytes, up to `BoundedFile`'s size limit (a directory, a device or a
    /// file larger than the limit is an error naming why).
    public static func readBytes(_ path: String) throws(Failure) -> [UInt8] {
        do throws(BoundedFile.Failure) { return try BoundedFile.read(path) } catch { throw Failure(reason: error.reason) }
    }

    /// The whole file as text (invalid UTF-8 is replaced with U+FFFD).
    public static func readText(_ path: String) throws(Failure) -> String {
        String(decoding: try readBytes(path), as: UTF8.self)
    }

    /// Replaces the file's contents with `text`, creating it if needed.
    public static func writeText(_ path: String, _ text: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure() }
        var utf8 = Array(text.utf8)
        var offset = 0
        while offset < utf8.count {
            let n = utf8.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure()
                close(fd)
                throw error
            }
            offset += n
        }
        guard close(fd) == 0 else { throw failure() }
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isExecutable(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The absolute path of the running executable (`/proc/self/exe`), symlinks resolved.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        buffer[n] = 0
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `path` made absolute against the current directory (no symlink resolution).
    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : currentDirectory() + "/" + path
    }

    /// The directory part of a path (`/a/b/c` → `/a/b`, `c` → `.`).
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// A new empty directory under /tmp (`mkdtemp`), for scratch work the caller removes.
    public static func makeTemporaryDirectory(prefix: String) throws(Failure) -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw failure() }
        return String(cString: made)
    }

    /// Creates a directory (and its missing parents); one that exists is fine.
    public static func makeDirectory(_ path: String) throws(Failure) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0, errno != EEXIST { throw failure() }
        }
    }

    /// The names in a directory (without `.` and `..`).
    public static func listDirectory(_ path: String) throws(Failure) -> [String] {
        guard let dir = opendir(path) else { throw failure() }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a file or a directory tree; symbolic links are removed, never followed.
    public static func removeTree(_ path: String) { FileTree.remove(path) }
}
