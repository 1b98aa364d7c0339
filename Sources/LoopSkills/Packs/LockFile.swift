/// `skills.lock`: the packs a project installed, with the hash each must keep and what was
/// granted. Written deterministically (sorted by name) so a team can commit it.
public struct LockFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var version: SemanticVersion
        /// sha256 of the pack's archive (for a directory, of the archive it would pack to).
        public var sha256: String
        /// Where it was installed from, as given.
        public var source: String
        public var permissions: Permissions
        /// sha256 of what was installed under `.looplab/packs/NAME` (its manifest and `.loop`
        /// files, see `PackLibrary.filesSHA256`): the grants hold only while the files on disk
        /// still hash to this. Nil in locks written before it was recorded.
        public var filesSHA256: String?

        public init(name: String, version: SemanticVersion, sha256: String, source: String, permissions: Permissions,
                    filesSHA256: String? = nil) {
            self.name = name
            self.version = version
            self.sha256 = sha256
            self.source = source
            self.permissions = permissions
            self.filesSHA256 = filesSHA256
        }
    }

    public static let fileName = "skills.lock"

    /// Sorted by name.
    public private(set) var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries.sorted { $0.name < $1.name } }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Adds or replaces the entry of the same name.
    public mutating func upsert(_ entry: Entry) {
        entries.removeAll { $0.name == entry.name }
        entries.append(entry)
        entries.sort { $0.name < $1.name }
    }

    /// Removes the named entry; returns whether there was one.
    @discardableResult
    public mutating func remove(name: String) -> Bool {
        let before = entries.count
        entries.removeAll { $0.name == name }
        return entries.count != before
    }

    /// Reads a lock file; a missing file is an empty lock.
    public static func read(path: String) throws(SkillError) -> LockFile {
        guard Files.isFile(path) else { return LockFile() }
        return try parse(try Files.readText(path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(SkillError) -> LockFile {
        let root = try TOMLParser.parse(text, file: file)
        var top = ManifestReader(file: file, table: root, section: nil)
        var entries: [Entry] = []
        switch try top.value("pack", required: false) {
        case nil: break
        case .array(let items)?:
            for item in items {
                guard case .table(let table) = item else { throw top.fail("pack", .wrongType(expected: "[[pack]] tables")) }
                var reader = ManifestReader(file: file, table: table, section: "pack")
                let name = try reader.string("name", required: true)
                let version = try reader.version("version")
                let sha = try reader.string("sha256", required: true)
                let source = try reader.string("source", required: false)
                let files = try reader.string("files_sha256", required: false)
                var permissions = Permissions.none
                if let granted = try reader.table("permissions") {
                    var section = ManifestReader(file: file, table: granted, section: "pack.permissions")
                    permissions = try section.permissions()
                    if let programs = try section.table("programs") {
                        var paths = ManifestReader(file: file, table: programs, section: "pack.permissions.programs")
                        for key in programs.keys { permissions.programPaths[key] = try paths.string(key, required: true) }
                    }
                    try section.rejectUnknownKeys()
                }
                try reader.rejectUnknownKeys()
                entries.append(Entry(name: name, version: version, sha256: sha, source: source, permissions: permissions,
                                     filesSHA256: files.isEmpty ? nil : files))
            }
        case let other?:
            throw top.fail("pack", .wrongType(expected: "[[pack]] tables, found \(other.typeName)"))
        }
        try top.rejectUnknownKeys()
        return LockFile(entries: entries)
    }

    /// The lock as TOML text.
    public var text: String {
        var root = TOMLTable()
        root.set("pack", .array(entries.map { entry in
            var table = TOMLTable()
            table.set("name", .string(entry.name))
            table.set("version", .string(entry.version.description))
            table.set("sha256", .string(entry.sha256))
            table.set("source", .string(entry.source))
            if let files = entry.filesSHA256 { table.set("files_sha256", .string(files)) }
            let permissions = entry.permissions
            var granted = TOMLTable()
            switch permissions.exec {
            case .none: granted.set("exec", .boolean(false))
            case .any: granted.set("exec", .boolean(true))
            case .programs(let names): granted.set("exec", .array(names.map(TOMLValue.string)))
            }
            granted.set("write", .array(permissions.write.map(TOMLValue.string)))
            granted.set("read", .array(permissions.read.map(TOMLValue.string)))
            granted.set("store", .boolean(permissions.store))
            granted.set("network", .boolean(permissions.network))
            if !permissions.programPaths.isEmpty {
                var programs = TOMLTable()
                for name in permissions.programPaths.keys.sorted() { programs.set(name, .string(permissions.programPaths[name]!)) }
                granted.set("programs", .table(programs))
            }
            table.set("permissions", .table(granted))
            return .table(table)
        }))
        let header = "# skills.lock: the packs this project installed, written by looplab. Commit it.\n"
        return header + (entries.isEmpty ? "" : "\n" + TOMLWriter.write(root))
    }

    /// Writes the lock atomically.
    public func write(path: String) throws(SkillError) {
        try Files.writeAtomically(path, text: text)
    }
}
