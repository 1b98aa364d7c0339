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

    /// `exec` (bool or program list), `write` (prefix list), `network` (bool).
    mutating func permissions() throws(SkillError) -> Permissions {
        var permissions = Permissions.none
        switch try value("exec", required: false) {
        case nil, .boolean(false)?: permissions.exec = .none
        case .boolean(true)?: permissions.exec = .any
        case .array?: permissions.exec = .programs(try strings("exec", required: true) ?? [])
        case let other?: throw fail("exec", .wrongType(expected: "true, false or an array of programs, found \(other.typeName)"))
        }
        permissions.write = try strings("write", required: false) ?? []
        // A prefix must stay inside the project, or granting it would grant the whole disk.
        for prefix in permissions.write where prefix.hasPrefix("/") || prefix.split(separator: "/").contains("..") {
            throw fail("write", .invalidPath(prefix))
        }
        switch try value("network", required: false) {
        case nil: break
        case .boolean(let b)?: permissions.network = b
        case let other?: throw fail("network", .wrongType(expected: "a boolean, found \(other.typeName)"))
        }
        return permissions
    }

    func rejectUnknownKeys() throws(SkillError) {
        if let key = table.keys.first(where: { !used.contains($0) }) { throw fail(key, .unknownKey) }
    }
}
