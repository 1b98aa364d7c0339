import Glibc
import LoopLang
import LoopSkills

/// What `looplab skill ...` does, kept out of the command-line target so that it is tested as a
/// library: packing, installing (from a directory, an archive, a git URL or the lock file),
/// listing, showing, removing and testing packs of one project.
public struct PackTooling {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
        init(_ error: SkillError) { self.description = error.description }
    }

    public let projectDirectory: String
    let confirmer: any Confirmer
    /// Progress lines ("installed tricks 1.2.0 ..."); the CLI prints them.
    let log: (String) -> Void

    public init(projectDirectory: String = POSIXFiles.currentDirectory(), confirmer: any Confirmer = TerminalConfirmer(assumeYes: HostSettings.fromEnvironment().assumeYes),
                log: @escaping (String) -> Void = { print($0) }) {
        self.projectDirectory = projectDirectory
        self.confirmer = confirmer
        self.log = log
    }

    var installer: PackInstaller {
        PackInstaller(packsDirectory: projectDirectory + "/.looplab/packs", lockPath: projectDirectory + "/" + LockFile.fileName,
                      languageVersion: SemanticVersion(LoopLab.version))
    }

    // MARK: pack

    /// Writes `NAME-VERSION.looppack` for the pack in `directory` (after running its tests).
    public func pack(directory: String, outputDirectory: String) throws(Failure) -> (path: String, sha256: String) {
        let manifest = try loadManifest(directory)
        _ = try runTests(directory: directory, manifest: manifest)
        do throws(SkillError) {
            let path = try PackArchive.write(packDirectory: directory, to: outputDirectory)
            return (path, try PackArchive.sha256(ofFile: path))
        } catch {
            throw Failure(error)
        }
    }

    // MARK: install

    /// Installs from a pack directory, a `.looppack` archive or a git URL; `sha256` pins the
    /// content. Returns the installed pack. Permissions are asked for through the confirmer.
    @discardableResult
    public func install(_ target: String, sha256: String? = nil) throws(Failure) -> InstalledPack {
        if Self.isGitURL(target) {
            let checkout = try GitCheckout.clone(target)
            defer { POSIXFiles.removeTree(POSIXFiles.parent(checkout)) }
            return try install(.directory(checkout), sha256: sha256, recordedSource: target)
        }
        var kind = stat()
        guard stat(target, &kind) == 0 else { throw Failure("skill install: '\(target)' is not a pack directory, a .looppack archive or a git URL") }
        let source: PackSource = (kind.st_mode & S_IFMT) == S_IFDIR ? .directory(target) : .archive(target)
        return try install(source, sha256: sha256, recordedSource: POSIXFiles.absolute(target))
    }

    /// Installs every pack the lock file names, from the source it recorded, refusing any whose
    /// content no longer has the locked sha256: how a teammate reproduces a library.
    public func installLocked() throws(Failure) -> [InstalledPack] {
        let lock: LockFile
        do throws(SkillError) { lock = try LockFile.read(path: installer.lockPath) } catch { throw Failure(error) }
        guard !lock.entries.isEmpty else { throw Failure("skill install: \(LockFile.fileName) lists no packs; name a pack to install") }
        var done: [InstalledPack] = []
        for entry in lock.entries {
            done.append(try install(entry.source, sha256: entry.sha256))
        }
        return done
    }

    private func install(_ source: PackSource, sha256: String?, recordedSource: String) throws(Failure) -> InstalledPack {
        let project = projectDirectory
        var testLines: [String] = []
        let installed: InstalledPack
        do throws(SkillError) {
            installed = try installer.install(from: source, expectedSHA256: sha256, grant: { grant($0) }) { directory, manifest in
                testLines = try PackTests.run(packDirectory: directory, manifest: manifest, projectDirectory: project)
            }
            try recordSource(recordedSource, for: installed.manifest.name)
        } catch {
            throw Failure(error)
        }
        for line in testLines { log("  " + line) }
        log("installed \(installed.manifest.name) \(installed.manifest.version) (sha256 \(installed.sha256.prefix(12))…) into .looplab/packs/\(installed.manifest.name)")
        return installed
    }

    /// The lock keeps where a pack came from as the user named it (a URL, not a temporary checkout).
    private func recordSource(_ source: String, for name: String) throws(SkillError) {
        var lock = try LockFile.read(path: installer.lockPath)
        guard var entry = lock.entry(named: name), entry.source != source else { return }
        entry.source = source
        lock.upsert(entry)
        try lock.write(path: installer.lockPath)
    }

    /// Shows what the pack asks to do and asks to grant it; a pack that asks nothing needs no answer.
    private func grant(_ manifest: PackManifest) -> Bool {
        let asks = manifest.permissions.descriptions
        guard !asks.isEmpty else { return true }
        log("pack \(manifest.name) \(manifest.version) asks to:")
        for line in asks { log("  - " + line) }
        switch confirmer.confirm("grant these permissions to \(manifest.name)?") {
        case true?: return true
        case false?: return false
        case nil:
            log("no terminal to ask: rerun with --yes to grant them")
            return false
        }
    }

    static func isGitURL(_ target: String) -> Bool {
        ["https://", "http://", "ssh://", "git://", "file://", "git@"].contains { target.hasPrefix($0) } || target.hasSuffix(".git")
    }

    // MARK: list, show, remove, test

    public func installed() throws(Failure) -> [InstalledPack] {
        do throws(SkillError) { return try installer.installedPacks() } catch { throw Failure(error) }
    }

    /// A pack's manifest, permissions, skills and lock hash, as text.
    public func show(_ name: String) throws(Failure) -> String {
        guard let pack = try installed().first(where: { $0.manifest.name == name }) else {
            throw Failure("skill show: no installed pack named '\(name)' (looplab skill list shows them)")
        }
        let m = pack.manifest
        var lines = ["\(m.name) \(m.version)" + (m.summary.isEmpty ? "" : " — \(m.summary)")]
        if !m.license.isEmpty { lines.append("license:      \(m.license)") }
        if let language = m.language { lines.append("language:     \(language)") }
        lines.append("skills:       " + m.skillNames.joined(separator: ", "))
        if !m.dependencies.isEmpty {
            lines.append("dependencies: " + m.dependencies.map { "\($0.name) \($0.requirement)" }.joined(separator: ", "))
        }
        let perms = m.permissions.descriptions
        lines.append("permissions:  " + (perms.isEmpty ? "none" : perms.joined(separator: "; ")))
        lines.append("sha256:       " + (pack.sha256.isEmpty ? "(not in \(LockFile.fileName))" : pack.sha256))
        lines.append("directory:    " + pack.directory)
        return lines.joined(separator: "\n")
    }

    public func remove(_ name: String) throws(Failure) {
        do throws(SkillError) { try installer.remove(name: name) } catch { throw Failure(error) }
        log("removed \(name)")
    }

    /// Runs the tests of a pack directory, or of an installed pack by name.
    public func test(_ target: String) throws(Failure) -> [String] {
        let directory: String
        if POSIXFiles.exists(target + "/" + PackManifest.fileName) {
            directory = target
        } else if let pack = try installed().first(where: { $0.manifest.name == target }) {
            directory = pack.directory
        } else {
            throw Failure("skill test: '\(target)' is neither a pack directory nor an installed pack")
        }
        return try runTests(directory: directory, manifest: try loadManifest(directory))
    }

    private func runTests(directory: String, manifest: PackManifest) throws(Failure) -> [String] {
        do throws(PackTests.Failure) {
            return try PackTests.run(packDirectory: directory, manifest: manifest, projectDirectory: projectDirectory)
        } catch {
            throw Failure("tests of \(manifest.name) failed: \(error.description)")
        }
    }

    private func loadManifest(_ directory: String) throws(Failure) -> PackManifest {
        do throws(SkillError) { return try PackManifest.load(directory: directory) } catch { throw Failure(error) }
    }
}
