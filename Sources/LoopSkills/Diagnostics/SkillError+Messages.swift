/// The one place where skill errors become words.
extension SkillError: CustomStringConvertible {
    /// The error's category, as `.loop` code sees it in `e.kind`.
    public var kind: String {
        switch self {
        case .io: return "io"
        case .toml, .manifest, .invalidMetadata: return "manifest"
        case .invalidVersion, .invalidRequirement, .invalidSkillName, .versionNotHigher: return "value"
        case .skillNotFound, .noSatisfyingVersion, .ambiguousSkill, .packNotInstalled: return "name"
        case .archive, .hashMismatch: return "archive"
        case .missingDependency, .incompatibleLanguage: return "dependency"
        case .permissionsRefused: return "permission"
        case .testsFailed: return "test"
        }
    }

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .toml(let file, let line, let column, let problem): return "\(file):\(line):\(column): \(problem.message)"
        case .manifest(let file, let line, let key, let problem):
            return line > 0 ? "\(file):\(line): \(key): \(problem.message)" : "\(file): \(key): \(problem.message)"
        case .invalidVersion(let v): return "'\(v)' is not a semantic version (expected MAJOR.MINOR.PATCH)"
        case .invalidRequirement(let r): return "'\(r)' is not a version requirement"
        case .invalidSkillName(let n):
            return "'\(n)' is not a valid skill name (letters, digits, '_' and '-', not starting with a digit or '-')"
        case .skillNotFound(let name, let nearest):
            return "no skill named '\(name)'" + (nearest.isEmpty ? "" : "; did you mean \(Self.list(nearest))?")
        case .noSatisfyingVersion(let name, let requirement, let available):
            return "no version of skill '\(name)' satisfies '\(requirement)' (available: \(available.joined(separator: ", ")))"
        case .ambiguousSkill(let name, let candidates):
            return "skill '\(name)' is provided by several packs: \(candidates.joined(separator: ", ")); "
                + "name one, as in use \"\(candidates.first.map { $0.split(separator: "@")[0] } ?? "")\""
        case .versionNotHigher(let name, let requested, let latest):
            return "cannot save skill '\(name)' as \(requested): it must be higher than the latest version, \(latest)"
        case .invalidMetadata(let path, let reason): return "\(path): \(reason)"
        case .archive(let path, let problem): return "\(path): \(problem.message)"
        case .hashMismatch(let pack, let expected, let actual):
            return "pack '\(pack)' does not match its recorded sha256 (expected \(expected), got \(actual)); refusing to install"
        case .missingDependency(let pack, let dependency, let requirement, let installed):
            let found = installed.map { "version \($0) is installed" } ?? "it is not installed"
            return "pack '\(pack)' needs pack '\(dependency)' \(requirement), but \(found)"
        case .incompatibleLanguage(let pack, let requirement, let language):
            return "pack '\(pack)' needs Looplab language \(requirement), but this is \(language)"
        case .permissionsRefused(let pack): return "permissions for pack '\(pack)' were not granted; not installed"
        case .testsFailed(let pack, let reason): return "tests of pack '\(pack)' failed; not installed: \(reason)"
        case .packNotInstalled(let name): return "no installed pack named '\(name)'"
        }
    }

    private static func list(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}

extension TOMLProblem {
    public var message: String {
        switch self {
        case .unexpectedCharacter(let c, let expected): return "expected \(expected), found \(c)"
        case .unterminatedString: return "unterminated string"
        case .newlineInString: return "newline in a single-line string"
        case .invalidEscape(let e): return "invalid escape '\\\(e)'"
        case .invalidNumber(let t): return "invalid number '\(t)'"
        case .expectedValue: return "expected a value"
        case .duplicateKey(let k): return "key '\(k)' is defined twice"
        case .notATable(let k): return "'\(k)' is not a table"
        case .tableRedefined(let k): return "table [\(k)] is defined twice"
        case .trailingContent: return "expected the end of the line"
        case .nestedTooDeeply(let limit): return "arrays, tables and dotted keys nest more than \(limit) levels deep"
        }
    }
}

extension ManifestProblem {
    public var message: String {
        switch self {
        case .missing: return "is required"
        case .unknownKey: return "unknown key"
        case .wrongType(let expected): return "expected \(expected)"
        case .notSemanticVersion(let v): return "'\(v)' is not a semantic version"
        case .notRequirement(let r): return "'\(r)' is not a version requirement"
        case .invalidName(let n): return "'\(n)' is not a valid name"
        case .invalidPath(let p): return "'\(p)' must be a relative path without '..'"
        case .fileMissing(let p): return "'\(p)' does not exist in the pack"
        case .empty: return "must not be empty"
        case .emptyPrefix: return "an empty prefix is not allowed (write \".\" to mean the whole project)"
        case .invalidEnvironmentName(let n): return "'\(n)' is not an environment variable (write $NAME with letters, digits and '_')"
        case .invalidProgram(let p): return "'\(p)' is not a program name (a name or path, without spaces)"
        }
    }
}

extension ArchiveProblem {
    public var message: String {
        switch self {
        case .truncated: return "archive is truncated"
        case .badChecksum(let offset): return "archive is corrupt (bad header checksum at byte \(offset))"
        case .notUstar(let offset): return "not a POSIX tar archive (no ustar header at byte \(offset))"
        case .absolutePath(let p): return "refusing archive entry '\(p)': absolute path"
        case .parentComponent(let p): return "refusing archive entry '\(p)': '..' in path"
        case .unsupportedEntry(let p, let type): return "refusing archive entry '\(p)': \(type) entries are not allowed"
        case .pathTooLong(let p): return "path '\(p)' is too long for a tar archive"
        case .duplicateEntry(let p, let written):
            return written == p ? "archive entry '\(p)' appears twice"
                : "archive entry '\(written)' names '\(p)', which the archive already holds (refusing two members for one file)"
        case .badSize(let offset): return "archive is corrupt (bad size field in the header at byte \(offset))"
        case .unsafeName(let p): return "refusing archive entry '\(p.debugDescription.dropFirst().dropLast())': not a plain relative path"
        case .missingManifest: return "archive has no skills.toml"
        }
    }
}
