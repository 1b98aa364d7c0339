/// Where a library sits in the search order `use` follows.
public enum SkillLibraryKind: String, Sendable, Hashable, CaseIterable {
    /// The project's `skills/`.
    case project
    /// `$XDG_DATA_HOME/looplab/skills`.
    case user
    /// The installed packs, `.looplab/packs/`.
    case packs
    /// The skills shipped with Looplab.
    case stdlib
}

/// One version of a skill on disk.
public struct SkillVersionFile: Sendable, Hashable {
    public let version: SemanticVersion
    public let path: String
}

/// A skill found in a library: every version one library (or one pack) holds of one name.
public struct SkillEntry: Sendable, Hashable {
    public let name: String
    /// Ascending by version.
    public let versions: [SkillVersionFile]
    public let kind: SkillLibraryKind
    /// The providing pack, for skills from installed packs.
    public let pack: String?
    /// The library directory it was found in (for packs, the packs directory).
    public let libraryDirectory: String

    public var latest: SkillVersionFile { versions[versions.count - 1] }

    /// The highest version satisfying `requirement`, if any.
    public func best(_ requirement: VersionRequirement) -> SkillVersionFile? {
        versions.last { requirement.matches($0.version) }
    }
}

/// The skill a request resolved to.
public struct ResolvedSkill: Sendable, Hashable {
    public let name: String
    public let version: SemanticVersion
    public let path: String
    public let kind: SkillLibraryKind
    public let pack: String?
    /// The library directory it was found in (for packs, the packs directory); a saved skill's
    /// `skill.json` is read through `SkillLibrary(directory: libraryDirectory)`.
    public let libraryDirectory: String
}
