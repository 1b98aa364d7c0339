/// Reads typed fields out of one table of a manifest, remembering which keys it used so that any
/// other key (a typo) is an error naming its line.
struct ManifestReader {
    let file: String
    let table: TOMLTable
    /// The `[section]` the table is, for key names in errors (`permissions.exec`).
    let section: String?
    var used: Set<String> = []

    init(file: String, table: TOMLTable, section: String?) {
        self.file = file
        self.table = table
        self.section = section
    }

    func fail(_ key: String, _ problem: ManifestProblem) -> SkillError {
        .manifest(file: file, line: table.line(of: key), key: section.map { "\($0).\(key)" } ?? key, problem: problem)
    }

    mutating func value(_ key: String, required: Bool) throws(SkillError) -> TOMLValue? {
        used.insert(key)
        guard let value = table[key] else {
            if required { throw fail(key, .missing) }
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool) throws(SkillError) -> String {
        switch try value(key, required: required) {
        case nil: return ""
        case .string(let s): return s
        case let other?: throw fail(key, .wrongType(expected: "a string, found \(other.typeName)"))
        }
    }

    mutating func version(_ key: String) throws(SkillError) -> SemanticVersion {
        let text = try string(key, required: true)
        guard let version = SemanticVersion(text) else { throw fail(key, .notSemanticVersion(text)) }
        return version
    }

    mutating func requirement(_ key: String) throws(SkillError) -> VersionRequirement? {
        guard table[key] != nil else { used.insert(key); return nil }
        let text = try string(key, required: true)
        guard let requirement = VersionRequirement(text) else { throw fail(key, .notRequirement(text)) }
        return requirement
    }

    mutating func strings(_ key: String, required: Bool) throws(SkillError) -> [String]? {
        switch try value(key, required: required) {
        case nil: return nil
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw fail(key, .wrongType(expected: "an array of strings")) }
                out.append(s)
            }
            return out
        case let other?: throw fail(key, .wrongType(expected: "an array of strings, found \(other.typeName)"))
        }
    }

    /// Relative paths inside the pack that must exist.
    mutating func paths(_ key: String, required: Bool, fileExists: (String) -> Bool) throws(SkillError) -> [String] {
        guard let paths = try strings(key, required: required) else { return [] }
        if required && paths.isEmpty { throw fail(key, .empty) }
        for path in paths {
            guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw fail(key, .invalidPath(path))
            }
            guard fileExists(path) else { throw fail(key, .fileMissing(path)) }
        }
        return paths
    }

    mutating func table(_ key: String) throws(SkillError) -> TOMLTable? {
        switch try value(key, required: false) {
        case nil: return nil
        case .table(let t): return t
        case let other?: throw fail(key, .wrongType(expected: "a table, found \(other.typeName)"))
        }
    }

    /// `exec` (bool or program list), `write` and `read` (prefix lists; `read` also `$NAME`
    /// environment variables), `store` and `network` (bools).
    mutating func permissions() throws(SkillError) -> Permissions {
        var permissions = Permissions.none
        switch try value("exec", required: false) {
        case nil, .boolean(false)?: permissions.exec = .none
        case .boolean(true)?: permissions.exec = .any
        case .array?:
            let programs = try strings("exec", required: true) ?? []
            for program in programs where program.isEmpty || program.contains(where: { $0.isWhitespace }) {
                throw fail("exec", .invalidProgram(program))
            }
            permissions.exec = .programs(programs)
        case let other?: throw fail("exec", .wrongType(expected: "true, false or an array of programs, found \(other.typeName)"))
        }
        permissions.write = try strings("write", required: false) ?? []
        for prefix in permissions.write {
            // A prefix must stay inside the project, or granting it would grant the whole disk; an
            // empty one would read as "write under " and mean the whole project.
            if prefix.isEmpty { throw fail("write", .emptyPrefix) }
            if prefix.hasPrefix("/") || prefix.split(separator: "/").contains("..") { throw fail("write", .invalidPath(prefix)) }
        }
        permissions.read = try strings("read", required: false) ?? []
        for entry in permissions.read {
            if entry.isEmpty { throw fail("read", .emptyPrefix) }
            if entry.hasPrefix("$") {
                let name = entry.dropFirst()
                guard let first = name.first, first == "_" || first.isLetter,
                      name.allSatisfy({ $0 == "_" || (($0.isLetter || $0.isNumber) && $0.isASCII) }) else {
                    throw fail("read", .invalidEnvironmentName(entry))
                }
            } else if entry.split(separator: "/").contains("..") {
                throw fail("read", .invalidPath(entry))
            }
        }
        permissions.store = try boolean("store")
        permissions.network = try boolean("network")
        return permissions
    }

    mutating func boolean(_ key: String) throws(SkillError) -> Bool {
        switch try value(key, required: false) {
        case nil: return false
        case .boolean(let b)?: return b
        case let other?: throw fail(key, .wrongType(expected: "a boolean, found \(other.typeName)"))
        }
    }

    func rejectUnknownKeys() throws(SkillError) {
        if let key = table.keys.first(where: { !used.contains($0) }) { throw fail(key, .unknownKey) }
    }
}
