/// The capabilities a pack asks for (in `skills.toml`) or was granted (in `skills.lock`).
public struct Permissions: Sendable, Hashable {
    /// Which programs `exec` may run.
    public enum Exec: Sendable, Hashable {
        case none
        case any
        case programs([String])
    }

    public var exec: Exec
    /// Path prefixes, relative to the project, under which the pack may write.
    public var write: [String]
    public var network: Bool

    public init(exec: Exec = .none, write: [String] = [], network: Bool = false) {
        self.exec = exec
        self.write = write
        self.network = network
    }

    /// No capabilities at all.
    public static let none = Permissions()

    /// Whether `program` (a command's first word) may run: it must be named exactly as granted,
    /// so a grant of `python3` does not let the pack run `./python3` or `/tmp/x/python3`.
    public func allowsExec(program: String) -> Bool {
        switch exec {
        case .none: return false
        case .any: return true
        case .programs(let names): return names.contains(program)
        }
    }

    /// Whether `path` (absolute, or relative to the project) lies under a granted prefix, after
    /// lexical normalisation, so `results/../secrets` is not under `results/`.
    public func allowsWrite(path: String, projectDirectory: String) -> Bool {
        let base = Files.normalize(projectDirectory, relativeTo: "/")
        let target = Files.normalize(path, relativeTo: base)
        return write.contains { prefix in
            let root = Files.normalize(prefix, relativeTo: base)
            return target == root || target.hasPrefix(root == "/" ? "/" : root + "/")
        }
    }

    /// One line per capability, for the install prompt and `skill show`
    /// (`run python3, git`, `write under results/`); empty when nothing is asked.
    public var descriptions: [String] {
        var lines: [String] = []
        switch exec {
        case .none: break
        case .any: lines.append("run any program")
        case .programs(let names): lines.append("run " + names.joined(separator: ", "))
        }
        if !write.isEmpty { lines.append("write under " + write.joined(separator: ", ")) }
        if network { lines.append("use the network") }
        return lines
    }
}
