/// What `use "NAME@REQ"` asks for: an optional pack qualifier, a skill name and a requirement.
public struct SkillRequest: Sendable, Hashable, CustomStringConvertible {
    public let pack: String?
    public let name: String
    public let requirement: VersionRequirement

    public init(pack: String? = nil, name: String, requirement: VersionRequirement = .any) {
        self.pack = pack
        self.name = name
        self.requirement = requirement
    }

    /// Parses `name`, `name@^1.2` or `pack/name@~1.0`.
    public init(parsing text: String) throws(SkillError) {
        var rest = Substring(text)
        var requirement = VersionRequirement.any
        if let at = rest.firstIndex(of: "@") {
            let written = String(rest[rest.index(after: at)...])
            guard let parsed = VersionRequirement(written) else { throw .invalidRequirement(written) }
            requirement = parsed
            rest = rest[..<at]
        }
        var pack: String?
        if let slash = rest.firstIndex(of: "/") {
            pack = String(rest[..<slash])
            rest = rest[rest.index(after: slash)...]
        }
        let name = String(rest)
        for part in [pack, name].compactMap({ $0 }) where !Self.isValidName(part) {
            throw .invalidSkillName(part)
        }
        self.init(pack: pack, name: name, requirement: requirement)
    }

    /// `[A-Za-z_][A-Za-z0-9_-]*`: the names skills and packs may have.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        }
    }

    public var description: String {
        (pack.map { "\($0)/" } ?? "") + name + (requirement.text == "*" ? "" : "@\(requirement.text)")
    }
}
