/// A pack's `skills.toml`, validated.
public struct PackManifest: Sendable, Equatable {
    public var name: String
    public var version: SemanticVersion
    public var summary: String
    public var license: String
    /// Compatible Looplab language versions; nil when the manifest does not say.
    public var language: VersionRequirement?
    /// The `.loop` files that each provide one skill, named by the file's basename.
    public var entry: [String]
    public var tests: [String]
    /// Other packs this one needs, in manifest order.
    public var dependencies: [Dependency]
    public var permissions: Permissions

    public struct Dependency: Sendable, Equatable {
        public let name: String
        public let requirement: VersionRequirement
    }

    public static let fileName = "skills.toml"

    public init(name: String, version: SemanticVersion, summary: String = "", license: String = "",
                language: VersionRequirement? = nil, entry: [String], tests: [String] = [],
                dependencies: [Dependency] = [], permissions: Permissions = .none) {
        self.name = name
        self.version = version
        self.summary = summary
        self.license = license
        self.language = language
        self.entry = entry
        self.tests = tests
        self.dependencies = dependencies
        self.permissions = permissions
    }

    /// The skills this pack provides: entry basenames without `.loop`.
    public var skillNames: [String] { entry.map { String(Files.basename($0).dropLast(5)) } }

    /// Reads `<directory>/skills.toml`, checking that entry and test files exist.
    public static func load(directory: String) throws(SkillError) -> PackManifest {
        let path = Files.join(directory, fileName)
        return try parse(try Files.readText(path), file: path) { Files.isFile(Files.join(directory, $0)) }
    }

    /// Parses and validates manifest text; `fileExists` answers for paths relative to the pack.
    public static func parse(_ text: String, file: String,
                             fileExists: (String) -> Bool) throws(SkillError) -> PackManifest {
        let root = try TOMLParser.parse(text, file: file)
        var reader = ManifestReader(file: file, table: root, section: nil)
        let name = try reader.string("name", required: true)
        guard SkillRequest.isValidName(name) else { throw reader.fail("name", .invalidName(name)) }
        let version = try reader.version("version")
        let summary = try reader.string("summary", required: false)
        let license = try reader.string("license", required: false)
        let language = try reader.requirement("language")
        let entry = try reader.paths("entry", required: true, fileExists: fileExists)
        for path in entry where !path.hasSuffix(".loop") || !SkillRequest.isValidName(String(Files.basename(path).dropLast(5))) {
            throw reader.fail("entry", .invalidName(path))
        }
        let tests = try reader.paths("tests", required: false, fileExists: fileExists)
        var dependencies: [Dependency] = []
        if let table = try reader.table("dependencies") {
            var deps = ManifestReader(file: file, table: table, section: "dependencies")
            for key in table.keys {
                guard SkillRequest.isValidName(key) else { throw deps.fail(key, .invalidName(key)) }
                let requirement = try deps.requirement(key)!
                dependencies.append(Dependency(name: key, requirement: requirement))
            }
        }
        var permissions = Permissions.none
        if let table = try reader.table("permissions") {
            var section = ManifestReader(file: file, table: table, section: "permissions")
            permissions = try section.permissions()
            try section.rejectUnknownKeys()
        }
        try reader.rejectUnknownKeys()
        return PackManifest(name: name, version: version, summary: summary, license: license, language: language,
                            entry: entry, tests: tests, dependencies: dependencies, permissions: permissions)
    }
}
