/// Where a pack is installed from. (Git URLs are cloned to a directory by the CLI first.)
public enum PackSource: Sendable, Hashable {
    case directory(String)
    case archive(String)

    public var path: String {
        switch self {
        case .directory(let path), .archive(let path): return path
        }
    }
}

/// A pack installed in the packs directory.
public struct InstalledPack: Sendable, Equatable {
    public let manifest: PackManifest
    public let directory: String
    public let sha256: String
}

/// Installs packs into `.looplab/packs/NAME/` and records them in `skills.lock`, in the order
/// docs/skills.md gives: manifest, hash, dependencies, permissions, tests, then the move.
public struct PackInstaller: Sendable {
    public let packsDirectory: String
    public let lockPath: String
    /// The running language's version, checked against a manifest's `language`; nil skips it.
    public let languageVersion: SemanticVersion?
    /// The PATH a granted program is looked up on, at grant time (the user's, by default).
    public let searchPath: String
    /// Where relative program paths in a manifest are resolved (the project).
    public let projectDirectory: String

    public init(packsDirectory: String, lockPath: String, languageVersion: SemanticVersion? = nil,
                searchPath: String? = nil, projectDirectory: String? = nil) {
        self.packsDirectory = packsDirectory
        self.lockPath = lockPath
        self.languageVersion = languageVersion
        self.searchPath = searchPath ?? Files.environment("PATH") ?? "/usr/bin:/bin"
        self.projectDirectory = projectDirectory ?? Files.parentDirectory(of: lockPath)
    }

    /// Installs the pack at `source`. `expectedSHA256` (like `--sha256`) and the lock's entry of
    /// the same name and version must match the archive's hash; `grant` is asked about the
    /// permissions (with each granted program already found on `searchPath`, as it will be run);
    /// `runTests` runs the staged copy's tests and throws to refuse it. On any failure nothing
    /// is left in the packs directory and the lock is unchanged.
    @discardableResult
    public func install(from source: PackSource, expectedSHA256: String? = nil,
                        grant: (PackManifest) -> Bool,
                        runTests: (_ packDirectory: String, _ manifest: PackManifest) throws -> Void) throws(SkillError) -> InstalledPack {
        var (manifest, entries, sha) = try load(source)
        manifest.permissions = manifest.permissions.resolvingPrograms(searchPath: searchPath, projectDirectory: projectDirectory)
        var lock = try LockFile.read(path: lockPath)
        // The lock pins the content of the version it names; a different version is an upgrade.
        let locked = lock.entry(named: manifest.name).flatMap { $0.version == manifest.version ? $0.sha256 : nil }
        for expected in [expectedSHA256, locked].compactMap({ $0 }) where expected.lowercased() != sha {
            throw .hashMismatch(pack: manifest.name, expected: expected, actual: sha)
        }
        if let languageVersion, let language = manifest.language, !language.matches(languageVersion) {
            throw .incompatibleLanguage(pack: manifest.name, requirement: language.text, language: "\(languageVersion)")
        }
        try checkDependencies(of: manifest)
        guard grant(manifest) else { throw .permissionsRefused(pack: manifest.name) }

        try Files.makeDirectories(packsDirectory)
        let staging = try Files.makeTemporaryDirectory(in: packsDirectory, prefix: ".staging-\(manifest.name)-")
        let files: String
        do {
            try PackArchive.materialize(entries, into: staging)
            files = try PackLibrary.filesSHA256(of: staging)
            try Self.test(staging, manifest, runTests)
            let target = Files.join(packsDirectory, manifest.name)
            try replace(target, with: staging)
        } catch {
            try? Files.removeTree(staging)
            throw error
        }
        lock.upsert(LockFile.Entry(name: manifest.name, version: manifest.version, sha256: sha, source: source.path,
                                   permissions: manifest.permissions, filesSHA256: files))
        try lock.write(path: lockPath)
        return InstalledPack(manifest: manifest, directory: Files.join(packsDirectory, manifest.name), sha256: sha)
    }

    /// Runs the caller's tests; whatever they throw becomes a test failure of the pack.
    private static func test(_ staging: String, _ manifest: PackManifest,
                             _ runTests: (String, PackManifest) throws -> Void) throws(SkillError) {
        do {
            try runTests(staging, manifest)
        } catch let error as SkillError {
            throw error
        } catch {
            throw .testsFailed(pack: manifest.name, reason: "\(error)")
        }
    }

    /// The manifest, members and hash of a source, without touching the packs directory. A
    /// directory hashes as the archive it packs to, so both forms of a pack share one hash.
    private func load(_ source: PackSource) throws(SkillError) -> (PackManifest, [PackArchive.Entry], String) {
        switch source {
        case .directory(let directory):
            let manifest = try PackManifest.load(directory: directory)
            let entries = try PackArchive.entries(ofDirectory: directory)
            return (manifest, entries, PackArchive.sha256(of: try PackArchive.bytes(of: entries, archive: directory)))
        case .archive(let path):
            let bytes = try Files.readBytes(path)
            let entries = try PackArchive.entries(ofArchive: bytes, archive: path)
            let files = Dictionary(entries.compactMap { entry -> (String, [UInt8])? in
                if case .file(let data) = entry.kind { (entry.path, data) } else { nil }
            }, uniquingKeysWith: { a, _ in a })
            guard let text = files[PackManifest.fileName] else { throw .archive(path: path, problem: .missingManifest) }
            let manifest = try PackManifest.parse(String(decoding: text, as: UTF8.self),
                                                  file: "\(path):\(PackManifest.fileName)") { files[$0] != nil }
            return (manifest, entries, PackArchive.sha256(of: bytes))
        }
    }

    private func checkDependencies(of manifest: PackManifest) throws(SkillError) {
        let installed = Dictionary(try PackLibrary(directory: packsDirectory).packs().map { ($0.manifest.name, $0.manifest.version) },
                                   uniquingKeysWith: { a, _ in a })
        for dependency in manifest.dependencies {
            let version = installed[dependency.name]
            guard let version, dependency.requirement.matches(version) else {
                throw .missingDependency(pack: manifest.name, dependency: dependency.name,
                                         requirement: dependency.requirement.text, installed: version?.description)
            }
        }
    }

    /// Moves `staging` to `target`, replacing an older install: the old one is renamed aside
    /// first and put back if the second rename fails.
    private func replace(_ target: String, with staging: String) throws(SkillError) {
        guard Files.kind(target) != nil else { return try Files.rename(staging, to: target) }
        let aside = try Files.makeTemporaryDirectory(in: packsDirectory, prefix: ".old-")
        let old = Files.join(aside, "pack")
        try Files.rename(target, to: old)
        do {
            try Files.rename(staging, to: target)
        } catch {
            try? Files.rename(old, to: target)
            try? Files.removeTree(aside)
            throw error
        }
        try Files.removeTree(aside)
    }

    /// Removes an installed pack and its lock entry.
    public func remove(name: String) throws(SkillError) {
        let target = Files.join(packsDirectory, name)
        var lock = try LockFile.read(path: lockPath)
        let locked = lock.remove(name: name)
        guard SkillRequest.isValidName(name), Files.isDirectory(target) || locked else { throw .packNotInstalled(name) }
        try Files.removeTree(target)
        if locked { try lock.write(path: lockPath) }
    }

    /// The installed packs, sorted by name, with their lock hashes (empty when not locked).
    public func installedPacks() throws(SkillError) -> [InstalledPack] {
        let lock = try LockFile.read(path: lockPath)
        return try PackLibrary(directory: packsDirectory).packs().map { pack in
            InstalledPack(manifest: pack.manifest, directory: pack.directory, sha256: lock.entry(named: pack.manifest.name)?.sha256 ?? "")
        }
    }
}
