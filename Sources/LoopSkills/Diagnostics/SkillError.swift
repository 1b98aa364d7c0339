/// Everything that can go wrong in the skill library, manifests, archives and installs, as data.
/// Prose lives only in `SkillError+Messages.swift`.
public enum SkillError: Error, Sendable, Equatable {
    case io(path: String, reason: String)
    case toml(file: String, line: Int, column: Int, problem: TOMLProblem)
    case manifest(file: String, line: Int, key: String, problem: ManifestProblem)
    case invalidVersion(String)
    case invalidRequirement(String)
    case invalidSkillName(String)
    /// No library has a skill of that name; `nearest` are the closest existing names.
    case skillNotFound(name: String, nearest: [String])
    /// The name exists but no version satisfies the requirement.
    case noSatisfyingVersion(name: String, requirement: String, available: [String])
    /// Several installed packs provide the name; `candidates` are `pack/name@version`.
    case ambiguousSkill(name: String, candidates: [String])
    case versionNotHigher(name: String, requested: String, latest: String)
    case invalidMetadata(path: String, reason: String)
    case archive(path: String, problem: ArchiveProblem)
    case hashMismatch(pack: String, expected: String, actual: String)
    case missingDependency(pack: String, dependency: String, requirement: String, installed: String?)
    case incompatibleLanguage(pack: String, requirement: String, language: String)
    case permissionsRefused(pack: String)
    case testsFailed(pack: String, reason: String)
    case packNotInstalled(String)
}

/// Why a TOML document could not be read.
public enum TOMLProblem: Sendable, Equatable {
    case unexpectedCharacter(String, expected: String)
    case unterminatedString
    case newlineInString
    case invalidEscape(String)
    case invalidNumber(String)
    case expectedValue
    case duplicateKey(String)
    case notATable(String)
    case tableRedefined(String)
    case trailingContent
    case nestedTooDeeply(limit: Int)
}

/// Why a `skills.toml` field is not acceptable.
public enum ManifestProblem: Sendable, Equatable {
    case missing
    case unknownKey
    case wrongType(expected: String)
    case notSemanticVersion(String)
    case notRequirement(String)
    case invalidName(String)
    case invalidPath(String)
    case fileMissing(String)
    case empty
    /// `write = [""]`: a prefix that names nothing (use "." for the whole project).
    case emptyPrefix
    case invalidEnvironmentName(String)
    case invalidProgram(String)
}

/// Why an archive cannot be packed or unpacked.
public enum ArchiveProblem: Sendable, Equatable {
    case truncated
    case badChecksum(offset: Int)
    case notUstar(offset: Int)
    case absolutePath(String)
    case parentComponent(String)
    case unsupportedEntry(String, type: String)
    case pathTooLong(String)
    /// Two members name the same file once normalised (`skills.toml` and `./skills.toml`).
    case duplicateEntry(String, writtenAs: String)
    /// A size field that is not plain octal digits, or larger than what follows it.
    case badSize(offset: Int)
    /// A member name with control characters or backslashes, or a file where the root belongs.
    case unsafeName(String)
    case missingManifest
}
