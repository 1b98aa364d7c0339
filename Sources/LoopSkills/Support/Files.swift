import Glibc

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
    static func isFile(_ path: String) -> Bool { kind(path) == .file }

    static func readBytes(_ path: String) throws(SkillError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path)
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
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
