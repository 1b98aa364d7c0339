import Foundation
import LoopSkills
import Testing

@Suite struct InstallerTests {
    struct TestFailure: Error {}

    /// A pack at `<dir>/src/NAME-VERSION` with one skill.
    @discardableResult
    static func makePack(_ dir: TemporaryDirectory, _ name: String, _ version: String, body: String = "1",
                         extra: String = "") -> String {
        let root = "src/\(name)-\(version)"
        dir.write("\(root)/skills.toml", "name = \"\(name)\"\nversion = \"\(version)\"\nentry = [\"\(name)_skill.loop\"]\n\(extra)")
        dir.write("\(root)/\(name)_skill.loop", "skill \(name)_skill() \"doc\" { \(body) }\n")
        return dir.url(root)
    }

    static func installer(_ dir: TemporaryDirectory) -> PackInstaller {
        PackInstaller(packsDirectory: dir.url("project/.looplab/packs"), lockPath: dir.url("project/skills.lock"),
                      languageVersion: SemanticVersion(0, 1, 0))
    }

    static func install(_ installer: PackInstaller, _ source: PackSource, sha: String? = nil,
                        grant: Bool = true, tests: @escaping (String) throws -> Void = { _ in }) throws -> InstalledPack {
        try installer.install(from: source, expectedSHA256: sha, grant: { _ in grant }, runTests: { dir, _ in try tests(dir) })
    }

    @Test func installsFromADirectoryAndRecordsTheLock() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let source = Self.makePack(dir, "tricks", "1.2.0", extra: "[permissions]\nexec = [\"git\"]\n")
        let installer = Self.installer(dir)
        var staged: [String] = []
        let installed = try Self.install(installer, .directory(source)) { staged = (try? FileManager.default.contentsOfDirectory(atPath: $0))?.sorted() ?? [] }
        #expect(staged == ["skills.toml", "tricks_skill.loop"])
        #expect(installed.directory == dir.url("project/.looplab/packs/tricks"))
        #expect(dir.list("project/.looplab/packs") == ["tricks"])
        let lock = try LockFile.read(path: installer.lockPath)
        let entry = try #require(lock.entry(named: "tricks"))
        #expect(entry.version == SemanticVersion(1, 2, 0) && entry.source == source)
        #expect(entry.permissions.exec == .programs(["git"]))
        // The program is bound at grant time to the file the user's PATH finds, and the installed
        // files to their hash.
        #expect(entry.permissions.programPaths["git"].map { $0.hasPrefix("/") } ?? true)
        #expect(entry.filesSHA256 == (try PackLibrary.filesSHA256(of: installed.directory)))
        // The directory hashes as its archive does.
        let archive = try PackArchive.write(packDirectory: source, to: dir.url("dist"))
        #expect(entry.sha256 == (try PackArchive.sha256(ofFile: archive)))
        #expect(try installer.installedPacks().map(\.manifest.name) == ["tricks"])
        let chain = SkillLibraryChain(libraries: [SkillLibrarySource(kind: .packs, directory: installer.packsDirectory)])
        #expect(try chain.resolve(SkillRequest(parsing: "tricks_skill")).pack == "tricks")
    }

    @Test func tamperedArchiveIsRefusedByTheLockHash() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let source = Self.makePack(dir, "tricks", "1.2.0")
        let archive = try PackArchive.write(packDirectory: source, to: dir.url("dist"))
        let installer = Self.installer(dir)
        let good = try Self.install(installer, .archive(archive))
        #expect(good.sha256 == (try PackArchive.sha256(ofFile: archive)))
        // Same name and version, different content.
        Self.makePack(dir, "tricks", "1.2.0", body: "evil()")
        let tampered = try PackArchive.write(packDirectory: source, to: dir.url("tampered"))
        let error = caught { try Self.install(installer, .archive(tampered)) } as? SkillError
        #expect(error == .hashMismatch(pack: "tricks", expected: good.sha256, actual: try PackArchive.sha256(ofFile: tampered)))
        #expect(try String(contentsOfFile: dir.url("project/.looplab/packs/tricks/tricks_skill.loop"), encoding: .utf8).contains("{ 1 }"))
        // An explicit --sha256 is checked too.
        let other = Self.makePack(dir, "other", "1.0.0")
        #expect(caught { try Self.install(installer, .directory(other), sha: String(repeating: "0", count: 64)) } is SkillError)
        #expect(dir.list("project/.looplab/packs") == ["tricks"])
    }

    @Test func failingTestsLeaveNothingBehind() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let installer = Self.installer(dir)
        let source = Self.makePack(dir, "tricks", "1.0.0")
        let error = caught { try Self.install(installer, .directory(source)) { _ in throw TestFailure() } } as? SkillError
        #expect(error?.kind == "test")
        #expect(dir.list("project/.looplab/packs").isEmpty && !dir.exists("project/skills.lock"))
        let refused = caught { try Self.install(installer, .directory(source), grant: false) } as? SkillError
        #expect(refused == .permissionsRefused(pack: "tricks"))
        #expect(dir.list("project/.looplab/packs").isEmpty)
    }

    @Test func dependenciesMustBeInstalled() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let installer = Self.installer(dir)
        let app = Self.makePack(dir, "app", "1.0.0", extra: "[dependencies]\nbase = \"^1.0\"\n")
        let missing = caught { try Self.install(installer, .directory(app)) } as? SkillError
        #expect(missing == .missingDependency(pack: "app", dependency: "base", requirement: "^1.0", installed: nil))
        #expect(missing?.description == "pack 'app' needs pack 'base' ^1.0, but it is not installed")
        _ = try Self.install(installer, .directory(Self.makePack(dir, "base", "0.5.0")))
        let old = caught { try Self.install(installer, .directory(app)) } as? SkillError
        #expect(old == .missingDependency(pack: "app", dependency: "base", requirement: "^1.0", installed: "0.5.0"))
        _ = try Self.install(installer, .directory(Self.makePack(dir, "base", "1.3.0")))
        _ = try Self.install(installer, .directory(app))
        #expect(try installer.installedPacks().map { "\($0.manifest.name)@\($0.manifest.version)" } == ["app@1.0.0", "base@1.3.0"])
        #expect(dir.list("project/.looplab/packs") == ["app", "base"])
    }

    @Test func languageRequirementIsChecked() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let source = Self.makePack(dir, "future", "1.0.0", extra: "language = \"^2.0\"\n")
        let error = caught { try Self.install(Self.installer(dir), .directory(source)) } as? SkillError
        #expect(error == .incompatibleLanguage(pack: "future", requirement: "^2.0", language: "0.1.0"))
    }

    @Test func upgradeReplacesAndRemoveDeletes() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let installer = Self.installer(dir)
        _ = try Self.install(installer, .directory(Self.makePack(dir, "tricks", "1.0.0")))
        dir.write("project/.looplab/packs/tricks/stale.loop", "")
        _ = try Self.install(installer, .directory(Self.makePack(dir, "tricks", "1.1.0")))
        #expect(dir.list("project/.looplab/packs/tricks") == ["skills.toml", "tricks_skill.loop"])
        #expect(try LockFile.read(path: installer.lockPath).entry(named: "tricks")?.version == SemanticVersion(1, 1, 0))
        #expect(dir.list("project/.looplab/packs") == ["tricks"])
        try installer.remove(name: "tricks")
        #expect(dir.list("project/.looplab/packs").isEmpty)
        #expect(try LockFile.read(path: installer.lockPath).entries.isEmpty)
        #expect(caught { try installer.remove(name: "tricks") } as? SkillError == .packNotInstalled("tricks"))
    }

    @Test func lockFileRoundTripsDeterministically() throws {
        var lock = LockFile()
        lock.upsert(.init(name: "zeta", version: SemanticVersion(2, 0, 0), sha256: "ab", source: "https://x/z.git",
                          permissions: Permissions(exec: .any, write: ["out/"], network: true)))
        lock.upsert(.init(name: "alpha", version: SemanticVersion(1, 0, 0), sha256: "cd", source: "/tmp/a \"q\".looppack",
                          permissions: .none))
        lock.upsert(.init(name: "mid", version: SemanticVersion(0, 1, 0), sha256: "ef", source: "m",
                          permissions: Permissions(exec: .programs(["git", "python3"]))))
        #expect(lock.entries.map(\.name) == ["alpha", "mid", "zeta"])
        let back = try LockFile.parse(lock.text, file: "skills.lock")
        #expect(back == lock && back.text == lock.text)
        #expect(lock.text.contains("[[pack]]\nname = \"alpha\"\nversion = \"1.0.0\"\nsha256 = \"cd\""))
        #expect(lock.remove(name: "mid") && !lock.remove(name: "mid"))
        #expect(try LockFile.parse(LockFile().text, file: "l") == LockFile())
        let bad = caught { try LockFile.parse("[[pack]]\nname = \"a\"\nversion = \"1\"\nsha256 = \"x\"\n", file: "skills.lock") }
        #expect((bad as? SkillError)?.description == "skills.lock:3: pack.version: '1' is not a semantic version")
    }
}
