/// One library directory holding skills as loose `NAME.loop` files (versioned by a leading
/// `# version: X.Y.Z` comment, else 0.0.0) and saved `NAME/VERSION.loop` + `NAME/skill.json`.
public struct SkillLibrary: Sendable {
    public let directory: String
    public let kind: SkillLibraryKind

    public init(directory: String, kind: SkillLibraryKind = .user) {
        self.directory = directory
        self.kind = kind
    }

    /// Every skill in the directory, sorted by name. A missing directory is an empty library.
    public func entries() throws(SkillError) -> [SkillEntry] {
        guard Files.isDirectory(directory) else { return [] }
        var versions: [String: [SemanticVersion: String]] = [:]
        for name in try Files.list(directory) where !name.hasPrefix("_") && !name.hasPrefix(".") && name != "tests" {
            let path = Files.join(directory, name)
            switch Files.kind(path) {
            case .file? where name.hasSuffix(".loop"):
                let skill = String(name.dropLast(5))
                // The stdlib's prelude is loaded by the interpreter, not by `use`.
                guard SkillRequest.isValidName(skill), !(kind == .stdlib && skill == "prelude") else { continue }
                let version = try Self.declaredVersion(of: path)
                if versions[skill, default: [:]][version] == nil { versions[skill, default: [:]][version] = path }
            case .directory? where SkillRequest.isValidName(name):
                for file in try Files.list(path) where file.hasSuffix(".loop") {
                    guard let version = SemanticVersion(String(file.dropLast(5))) else { continue }
                    versions[name, default: [:]][version] = Files.join(path, file)
                }
            default:
                continue
            }
        }
        return versions.keys.sorted().map { name in
            let files = versions[name]!.sorted { $0.key < $1.key }.map { SkillVersionFile(version: $0.key, path: $0.value) }
            return SkillEntry(name: name, versions: files, kind: kind, pack: nil, libraryDirectory: directory)
        }
    }

    /// The version a loose file declares in its leading comment lines, else 0.0.0.
    static func declaredVersion(of path: String) throws(SkillError) -> SemanticVersion {
        for line in try Files.readText(path).split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line).trimmingSpaces
            if text.isEmpty { continue }
            guard text.hasPrefix("#") else { break }
            let comment = String(text.dropFirst()).trimmingSpaces
            guard comment.hasPrefix("version:") else { continue }
            let written = String(comment.dropFirst("version:".count)).trimmingSpaces
            guard let version = SemanticVersion(written) else {
                throw .invalidMetadata(path: path, reason: "'# version: \(written)' is not a semantic version")
            }
            return version
        }
        return .zero
    }
}

/// The installed packs directory: `<dir>/<pack>/skills.toml`, each entry file one skill named by
/// its basename and versioned with the pack.
public struct PackLibrary: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The installed packs' manifests with their directories, sorted by pack name. Staging
    /// directories (dot-prefixed) are skipped. A pack is known by the directory the installer
    /// put it in: a manifest naming any other pack is ignored, so files on disk can never claim
    /// another pack's name (and with it that pack's grants in the lock).
    public func packs() throws(SkillError) -> [(manifest: PackManifest, directory: String)] {
        guard Files.isDirectory(directory) else { return [] }
        var found: [(manifest: PackManifest, directory: String)] = []
        for name in try Files.list(directory) where !name.hasPrefix(".") {
            let path = Files.join(directory, name)
            guard Files.isFile(Files.join(path, PackManifest.fileName)) else { continue }
            let manifest = try PackManifest.load(directory: path)
            if manifest.name == name { found.append((manifest, path)) }
        }
        return found
    }

    /// sha256 of a pack directory's manifest and `.loop` files (the code its grants apply to),
    /// as the deterministic archive of just those files. Other files (data, a script's
    /// `__pycache__`) may change without it.
    public static func filesSHA256(of packDirectory: String) throws(SkillError) -> String {
        let code = try PackArchive.entries(ofDirectory: packDirectory).filter { entry in
            guard case .file = entry.kind else { return false }
            return entry.path == PackManifest.fileName || entry.path.hasSuffix(".loop")
        }
        return PackArchive.sha256(of: try PackArchive.bytes(of: code, archive: packDirectory))
    }

    public func entries() throws(SkillError) -> [SkillEntry] {
        var entries: [SkillEntry] = []
        for (manifest, packDirectory) in try packs() {
            for (file, name) in zip(manifest.entry, manifest.skillNames) {
                let version = SkillVersionFile(version: manifest.version, path: Files.join(packDirectory, file))
                entries.append(SkillEntry(name: name, versions: [version], kind: .packs, pack: manifest.name, libraryDirectory: directory))
            }
        }
        return entries
    }
}
