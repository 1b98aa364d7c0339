import Glibc
import LoopSupport

/// The file access LoopSkills needs, on Glibc directly (the host layers avoid Foundation for
/// start-up time). Every failure becomes `SkillError.io` naming the path.
enum Files {
    enum Kind { case file, directory, other }

    private static func failure(_ path: String) -> SkillError {
        .io(path: path, reason: String(cString: strerror(errno)))
    }

    static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// An environment variable's value, or nil when it is not set.
    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// `/a/b/c` → `/a/b`; `c` → `.`.
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// What is at `path`, without following a final symlink (a symlink is `.other`).
    static func kind(_ path: String) -> Kind? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func isDirectory(_ path: String) -> Bool { kind(path) == .directory }

    /// A regular file (links followed) that this user may execute.
    static func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }
    static func isFile(_ path: String) -> Bool { kind(path) == .file }

    /// The whole file, up to `BoundedFile`'s size limit.
    static func readBytes(_ path: String) throws(SkillError) -> [UInt8] {
        do throws(BoundedFile.Failure) { return try BoundedFile.read(path) } catch { throw .io(path: path, reason: error.reason) }
    }

    static func readText(_ path: String) throws(SkillError) -> String {
        String(decoding: try readBytes(path), as: UTF8.self)
    }

    static func writeBytes(_ path: String, _ bytes: [UInt8]) throws(SkillError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure(path)
                close(fd)
                throw error
            }
            offset += n
        }
        guard fsync(fd) == 0, close(fd) == 0 else { throw failure(path) }
    }

    /// Writes beside the destination and renames over it, so readers never see half a file.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(SkillError) {
        let temporary = path + ".tmp-\(getpid())"
        do {
            try writeBytes(temporary, bytes)
            try rename(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    static func writeAtomically(_ path: String, text: String) throws(SkillError) {
        try writeAtomically(path, Array(text.utf8))
    }

    static func rename(_ from: String, to: String) throws(SkillError) {
        guard Glibc.rename(from, to) == 0 else { throw failure(from) }
    }

    /// The names in a directory (not `.`/`..`), sorted bytewise so every listing is deterministic.
    static func list(_ directory: String) throws(SkillError) -> [String] {
        guard let dir = opendir(directory) else { throw failure(directory) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(SkillError) {
        if isDirectory(path) { return }
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !parent.isEmpty { try makeDirectories(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure(path) }
    }

    /// `rm -rf`, never following symlinks out of the tree.
    static func removeTree(_ path: String) throws(SkillError) {
        switch kind(path) {
        case nil: return
        case .directory:
            for name in try list(path) { try removeTree(join(path, name)) }
            guard rmdir(path) == 0 else { throw failure(path) }
        case .file, .other:
            guard unlink(path) == 0 else { throw failure(path) }
        }
    }

    /// A new empty directory `<parent>/<prefix>XXXXXX`.
    static func makeTemporaryDirectory(in parent: String, prefix: String) throws(SkillError) -> String {
        var template = Array(join(parent, prefix + "XXXXXX").utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw failure(parent)
        }
        return String(cString: result)
    }

    /// `path` made absolute and lexically normalised: `.` and empty components dropped, `..` pops
    /// (never above `/`).
    static func normalize(_ path: String, relativeTo base: String) -> String {
        let full = path.hasPrefix("/") ? path : join(base, path)
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}

extension Files {
    /// Where `path` (absolute, or relative to `base`) really is once symbolic links are followed,
    /// for permission checks: a link under a granted `results/` must not let a write land outside
    /// it. The existing part of the path is resolved with `realpath`; the rest (not yet created,
    /// so it cannot be a link) is appended lexically. Nil when that is not safe to decide: a
    /// dangling link, or a loop.
    static func resolved(_ path: String, relativeTo base: String) -> String? {
        let full = path.hasPrefix("/") ? path : join(base, path)
        var missing: [Substring] = []
        var existing = normalizeKeepingDots(full)
        while true {
            if let real = realPath(existing) {
                var parts = real == "/" ? [] : real.split(separator: "/")
                for part in missing.reversed() {
                    if part == "." { continue }
                    if part == ".." { _ = parts.popLast() } else { parts.append(part) }
                }
                return "/" + parts.joined(separator: "/")
            }
            // Something is there but cannot be resolved: a dangling link a write would follow.
            var st = stat()
            if lstat(existing, &st) == 0 { return nil }
            guard let slash = existing.lastIndex(of: "/"), existing != "/" else { return nil }
            missing.append(existing[existing.index(after: slash)...])
            existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
        }
    }

    /// `realpath(3)`, or nil when the path does not fully resolve.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Collapses repeated slashes only: `.` and `..` must be resolved against the real directories.
    private static func normalizeKeepingDots(_ path: String) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Whether `path` is `root` or inside it (both resolved, absolute).
    static func isWithin(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }
}
