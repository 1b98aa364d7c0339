import LoopSkills
import Testing

@Suite struct LibraryTests {
    /// project/, user/, packs/ (vision and audio both provide `augment`), stdlib/.
    static func makeTree() -> (TemporaryDirectory, SkillLibraryChain) {
        let dir = TemporaryDirectory()
        dir.write("project/skills/warmup.loop", "# Warm-up.\n# version: 1.2.0\nskill warmup() \"w\" { 1 }\n")
        dir.write("user/sweep/1.0.0.loop", "skill sweep() \"s\" { 1 }\n")
        dir.write("user/sweep/1.4.0.loop", "skill sweep() \"s\" { 2 }\n")
        dir.write("user/sweep/2.0.0.loop", "skill sweep(x) \"s\" { 3 }\n")
        dir.write("user/warmup.loop", "# version: 3.0.0\nskill warmup() \"w\" { 3 }\n")
        dir.write("user/_helper.loop", "")
        dir.write("user/tests/sweep_test.loop", "")
        for (pack, version) in [("vision", "1.1.0"), ("audio", "0.2.0")] {
            dir.write("packs/\(pack)/skills.toml", "name = \"\(pack)\"\nversion = \"\(version)\"\nentry = [\"augment.loop\"]\n")
            dir.write("packs/\(pack)/augment.loop", "skill augment() \"\(pack) augmentation\" { 1 }\n")
        }
        dir.write("packs/vision/skills.toml", "name = \"vision\"\nversion = \"1.1.0\"\nentry = [\"augment.loop\", \"crop.loop\"]\n")
        dir.write("packs/vision/crop.loop", "skill crop() \"c\" { 1 }\n")
        dir.write("packs/.staging-x/skills.toml", "broken")
        dir.write("stdlib/prelude.loop", "fn map() {}\n")
        dir.write("stdlib/cosine.loop", "skill cosine(steps) \"Cosine schedule\" { steps }\n")
        let chain = SkillLibraryChain(libraries: [
            SkillLibrarySource(kind: .project, directory: dir.url("project/skills")),
            SkillLibrarySource(kind: .user, directory: dir.url("user")),
            SkillLibrarySource(kind: .packs, directory: dir.url("packs")),
            SkillLibrarySource(kind: .stdlib, directory: dir.url("stdlib")),
        ])
        return (dir, chain)
    }

    @Test func firstLibraryWithASatisfyingVersionWins() throws {
        let (dir, chain) = Self.makeTree()
        defer { dir.remove() }
        let warmup = try chain.resolve(SkillRequest(parsing: "warmup"))
        #expect(warmup.kind == .project && warmup.version == SemanticVersion(1, 2, 0))
        #expect(warmup.path == dir.url("project/skills/warmup.loop"))
        #expect(warmup.libraryDirectory == dir.url("project/skills"))
        // The project's 1.2.0 does not satisfy ^3, so the user's library answers.
        let newer = try chain.resolve(SkillRequest(parsing: "warmup@^3"))
        #expect(newer.kind == .user && newer.version == SemanticVersion(3, 0, 0))
        let cosine = try chain.resolve(SkillRequest(parsing: "cosine"))
        #expect(cosine.kind == .stdlib && cosine.version == .zero)
    }

    @Test func highestSatisfyingVersionInsideALibrary() throws {
        let (dir, chain) = Self.makeTree()
        defer { dir.remove() }
        let latest = try chain.resolve(SkillRequest(parsing: "sweep"))
        #expect(latest.version == SemanticVersion(2, 0, 0))
        let compatible = try chain.resolve(SkillRequest(parsing: "sweep@^1.0"))
        #expect(compatible.version == SemanticVersion(1, 4, 0) && compatible.path == dir.url("user/sweep/1.4.0.loop"))
        let exact = try chain.resolve(SkillRequest(parsing: "sweep@=1.0.0"))
        #expect(exact.version == SemanticVersion(1, 0, 0))
    }

    @Test func packsProvideTheirEntriesAndAmbiguityListsCandidates() throws {
        let (dir, chain) = Self.makeTree()
        defer { dir.remove() }
        let crop = try chain.resolve(SkillRequest(parsing: "crop"))
        #expect(crop.kind == .packs && crop.pack == "vision" && crop.version == SemanticVersion(1, 1, 0))
        let error = caught { try chain.resolve(SkillRequest(parsing: "augment")) } as? SkillError
        #expect(error == .ambiguousSkill(name: "augment", candidates: ["audio/augment@0.2.0", "vision/augment@1.1.0"]))
        #expect(error?.description.contains("use \"audio/augment\"") == true)
        let picked = try chain.resolve(SkillRequest(parsing: "vision/augment"))
        #expect(picked.pack == "vision" && picked.path == dir.url("packs/vision/augment.loop"))
        // A requirement only one pack satisfies is not ambiguous.
        #expect(try chain.resolve(SkillRequest(parsing: "augment@^1")).pack == "vision")
    }

    @Test func missingNamesListTheNearestOnes() {
        let (dir, chain) = Self.makeTree()
        defer { dir.remove() }
        let error = caught { try chain.resolve(SkillRequest(parsing: "sweap")) } as? SkillError
        #expect(error == .skillNotFound(name: "sweap", nearest: ["sweep"]))
        #expect(error?.description == "no skill named 'sweap'; did you mean 'sweep'?")
        let hidden = caught { try chain.resolve(SkillRequest(parsing: "prelude")) } as? SkillError
        #expect(hidden == .skillNotFound(name: "prelude", nearest: []))
        #expect(caught { try chain.resolve(SkillRequest(parsing: "_helper")) } != nil)
        let qualified = caught { try chain.resolve(SkillRequest(parsing: "vision/augmnt")) } as? SkillError
        #expect(qualified == .skillNotFound(name: "vision/augmnt", nearest: ["vision/augment"]))
    }

    @Test func unsatisfiableRequirementsListAvailableVersions() {
        let (dir, chain) = Self.makeTree()
        defer { dir.remove() }
        let error = caught { try chain.resolve(SkillRequest(parsing: "sweep@^5")) } as? SkillError
        #expect(error == .noSatisfyingVersion(name: "sweep", requirement: "^5", available: ["1.0.0", "1.4.0", "2.0.0"]))
    }

    @Test func entriesListEverySkillInSearchOrder() throws {
        let (dir, chain) = Self.makeTree()
        defer { dir.remove() }
        let entries = try chain.entries()
        #expect(entries.map { "\($0.kind.rawValue):\($0.pack.map { "\($0)/" } ?? "")\($0.name)" } == [
            "project:warmup", "user:sweep", "user:warmup", "packs:audio/augment", "packs:vision/augment",
            "packs:vision/crop", "stdlib:cosine",
        ])
        #expect(entries[1].versions.map(\.version.description) == ["1.0.0", "1.4.0", "2.0.0"])
    }

    @Test func aBadVersionCommentIsReported() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("lib/x.loop", "# version: 1.x\n")
        let error = caught { try SkillLibrary(directory: dir.url("lib")).entries() } as? SkillError
        #expect(error == .invalidMetadata(path: dir.url("lib/x.loop"), reason: "'# version: 1.x' is not a semantic version"))
    }
}
