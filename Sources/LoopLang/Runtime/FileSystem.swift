import Glibc
import LoopSupport

/// The little file access the language core needs (`use`, the prelude), without Foundation.
enum FileSystem {
    /// A source file's text, up to `BoundedFile`'s size limit.
    static func read(_ path: String) throws(BoundedFile.Failure) -> String {
        try BoundedFile.readText(path)
    }

    static func isFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    static func canonical(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static var currentDirectory: String {
        guard let p = getcwd(nil, 0) else { return "." }
        defer { free(p) }
        return String(cString: p)
    }

    static func join(_ dir: String, _ name: String) -> String {
        name.hasPrefix("/") ? name : (dir.hasSuffix("/") ? dir + name : dir + "/" + name)
    }
}
