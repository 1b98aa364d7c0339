/// The capabilities a pack asks for (in `skills.toml`) or was granted (in `skills.lock`). Every
/// one is off unless the manifest declares it; docs/skills.md says what each covers.
public struct Permissions: Sendable, Hashable {
    /// Which programs `exec` may run.
    public enum Exec: Sendable, Hashable {
        case none
        /// Any command, through the shell, with any environment.
        case any
        /// These programs only, each as the file it was found at when the pack was granted.
        case programs([String])
    }

    public var exec: Exec
    /// Where each granted program was found on the user's PATH at grant time (lock only): the
    /// pack runs that file, whatever PATH says later. A program missing then has no entry.
    public var programPaths: [String: String]
    /// Path prefixes, relative to the project, under which the pack may write.
    public var write: [String]
    /// Path prefixes (relative to the project, or absolute) the pack may read, and `$NAME`
    /// entries for environment variables it may read.
    public var read: [String]
    /// Whether it may write to the project store: memory, studies and trials, the model registry.
    public var store: Bool
    public var network: Bool

    public init(exec: Exec = .none, programPaths: [String: String] = [:], write: [String] = [], read: [String] = [],
                store: Bool = false, network: Bool = false) {
        self.exec = exec
        self.programPaths = programPaths
        self.write = write
        self.read = read
        self.store = store
        self.network = network
    }

    /// No capabilities at all.
    public static let none = Permissions()

    /// Files Looplab keeps for itself: no grant covers them, since a pack that could rewrite the
    /// lock or its own installed code could grant itself anything.
    public static let protectedPaths = [LockFile.fileName, ".looplab"]

    // MARK: exec

    /// Whether `program` (argv[0]) may run: it must be named exactly as granted, so a grant of
    /// `python3` does not let the pack run `./python3` or `/tmp/x/python3`.
    public func allowsExec(program: String) -> Bool {
        switch exec {
        case .none: return false
        case .any: return true
        case .programs(let names): return names.contains(program)
        }
    }

    /// The file a granted program runs as: the path recorded at grant time, or nil.
    public func grantedPath(of program: String) -> String? { programPaths[program] }

    /// These permissions with every listed program found on `searchPath` (a PATH value); a name
    /// with a `/` is taken relative to `projectDirectory`. What the user is shown and grants.
    public func resolvingPrograms(searchPath: String, projectDirectory: String) -> Permissions {
        guard case .programs(let names) = exec else { return self }
        var copy = self
        copy.programPaths = [:]
        for name in names {
            if name.contains("/") {
                let file = Files.resolved(name, relativeTo: projectDirectory)
                if let file, Files.isExecutableFile(file) { copy.programPaths[name] = file }
                continue
            }
            for dir in searchPath.split(separator: ":") where dir.hasPrefix("/") {
                let file = String(dir) + "/" + name
                if Files.isExecutableFile(file) { copy.programPaths[name] = Files.realPath(file) ?? file; break }
            }
        }
        return copy
    }

    // MARK: files and the environment

    /// Whether `path` (absolute, or relative to the project) lies under a granted write prefix,
    /// with symbolic links followed, and outside `protectedPaths`.
    public func allowsWrite(path: String, projectDirectory: String) -> Bool {
        guard let project = Files.resolved(projectDirectory, relativeTo: "/"),
              let target = Files.resolved(path, relativeTo: project) else { return false }
        for protected in Self.protectedPaths where Files.isWithin(target, Files.join(project, protected)) { return false }
        return write.contains { prefix in
            Files.resolved(prefix, relativeTo: project).map { Files.isWithin(target, $0) } ?? false
        }
    }

    /// Whether `path` lies under a granted read prefix or inside `packDirectory` (a pack may
    /// always read its own files), with symbolic links followed.
    public func allowsRead(path: String, projectDirectory: String, packDirectory: String?) -> Bool {
        guard let project = Files.resolved(projectDirectory, relativeTo: "/"),
              let target = Files.resolved(path, relativeTo: project) else { return false }
        if let packDirectory, let own = Files.resolved(packDirectory, relativeTo: project), Files.isWithin(target, own) { return true }
        return readPaths.contains { prefix in
            Files.resolved(prefix, relativeTo: project).map { Files.isWithin(target, $0) } ?? false
        }
    }

    /// Whether the environment variable `name` is granted (`read = ["$HF_HOME"]`).
    public func allowsEnvironment(_ name: String) -> Bool { environment.contains(name) }

    /// The `read` entries that are paths.
    public var readPaths: [String] { read.filter { !$0.hasPrefix("$") } }
    /// The environment variables `read` grants (without `$`).
    public var environment: [String] { read.filter { $0.hasPrefix("$") }.map { String($0.dropFirst()) } }

    // MARK: showing them

    /// One line per capability, for the install prompt, `skill show` and denials (`run python3
    /// (/usr/bin/python3)`, `write under results/`); empty when nothing is asked.
    public var descriptions: [String] {
        var lines: [String] = []
        switch exec {
        case .none: break
        case .any: lines.append("run any program, through the shell, with any environment")
        case .programs(let names):
            let shown = names.map { name in
                programPaths.isEmpty ? name : "\(name) (\(programPaths[name] ?? "not found on your PATH"))"
            }
            lines.append("run " + shown.joined(separator: ", "))
        }
        if !write.isEmpty { lines.append("write " + Self.places(write, protected: true)) }
        if !readPaths.isEmpty { lines.append("read files " + Self.places(readPaths, protected: false)) }
        if !environment.isEmpty {
            lines.append("read the environment variable\(environment.count == 1 ? "" : "s") " + environment.joined(separator: ", "))
        }
        if store { lines.append("write to the project store (memory, studies and trials, the model registry)") }
        if network { lines.append("use the network") }
        return lines
    }

    /// `under results/, logs/`, or `anywhere in the project` for `.`.
    static func places(_ prefixes: [String], protected: Bool) -> String {
        let whole = prefixes.contains { Files.normalize($0, relativeTo: "/p") == "/p" }
        let others = prefixes.filter { Files.normalize($0, relativeTo: "/p") != "/p" }
        var parts: [String] = []
        if whole { parts.append("anywhere in the project" + (protected ? " (except \(protectedPaths.joined(separator: " and ")))" : "")) }
        if !others.isEmpty { parts.append("under " + others.joined(separator: ", ")) }
        return parts.joined(separator: " and ")
    }
}
