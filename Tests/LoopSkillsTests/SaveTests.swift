import LoopSkills
import Testing

@Suite struct SaveTests {
    typealias P = SkillDefinition.Parameter

    static func definition(_ parameters: [P], body: String = "1", doc: String = "Sweeps.") -> SkillDefinition {
        let signature = parameters.map { $0.hasDefault ? "\($0.name): 1" : $0.name }.joined(separator: ", ")
        return SkillDefinition(name: "sweep", doc: doc, parameters: parameters,
                               source: "skill sweep(\(signature)) \"\(doc)\" { \(body) }\n")
    }

    static func save(_ library: SkillLibrary, _ definition: SkillDefinition, version: SemanticVersion? = nil) throws -> SaveOutcome {
        try library.save(definition, author: "ada", date: "2026-11-27T03:00:00Z", explicitVersion: version)
    }

    @Test func bumpsByTheSizeOfTheChange() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let library = SkillLibrary(directory: dir.path)
        let a = P(name: "a", hasDefault: false), b = P(name: "b", hasDefault: true)
        #expect(try Self.save(library, Self.definition([a])) == .created(SemanticVersion(1, 0, 0)))
        #expect(try Self.save(library, Self.definition([a])) == .unchanged(SemanticVersion(1, 0, 0)))
        #expect(try Self.save(library, Self.definition([a], body: "2")) == .created(SemanticVersion(1, 0, 1)))
        #expect(try Self.save(library, Self.definition([a], body: "2", doc: "Better.")) == .created(SemanticVersion(1, 0, 2)))
        #expect(try Self.save(library, Self.definition([a, b], body: "2")) == .created(SemanticVersion(1, 1, 0)))
        #expect(try Self.save(library, Self.definition([a, b, P(name: "c", hasDefault: false)], body: "2"))
                == .created(SemanticVersion(2, 0, 0)))
        #expect(try Self.save(library, Self.definition([a, P(name: "c", hasDefault: false)], body: "2"))
                == .created(SemanticVersion(3, 0, 0)))
        #expect(try Self.save(library, Self.definition([P(name: "a", hasDefault: true), P(name: "c", hasDefault: false)], body: "3"))
                == .created(SemanticVersion(3, 0, 1)))
        #expect(try Self.save(library, Self.definition([a, P(name: "c", hasDefault: false)], body: "3"))
                == .created(SemanticVersion(4, 0, 0)))
        #expect(dir.list("sweep") == ["1.0.0.loop", "1.0.1.loop", "1.0.2.loop", "1.1.0.loop", "2.0.0.loop",
                                      "3.0.0.loop", "3.0.1.loop", "4.0.0.loop", "skill.json"])
        let metadata = try library.metadata(for: "sweep")
        #expect(metadata.map(\.version.description) == ["1.0.0", "1.0.1", "1.0.2", "1.1.0", "2.0.0", "3.0.0", "3.0.1", "4.0.0"])
        #expect(metadata[3].signature == "sweep(a, b = ...)" && metadata[2].doc == "Better.")
        let resolved = try SkillLibraryChain(libraries: [SkillLibrarySource(kind: .user, directory: dir.path)])
            .resolve(SkillRequest(parsing: "sweep@^1"))
        #expect(resolved.version == SemanticVersion(1, 1, 0))
    }

    @Test func explicitVersionsMustBeHigher() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let library = SkillLibrary(directory: dir.path)
        let a = P(name: "a", hasDefault: false)
        #expect(try Self.save(library, Self.definition([a]), version: SemanticVersion(0, 3, 0)) == .created(SemanticVersion(0, 3, 0)))
        let error = caught { try Self.save(library, Self.definition([a], body: "9"), version: SemanticVersion(0, 3, 0)) }
        #expect(error as? SkillError == .versionNotHigher(name: "sweep", requested: "0.3.0", latest: "0.3.0"))
        #expect(try Self.save(library, Self.definition([a], body: "9"), version: SemanticVersion(0, 5, 0))
                == .created(SemanticVersion(0, 5, 0)))
    }

    @Test func metadataRecordsHashAuthorAndEvidence() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let library = SkillLibrary(directory: dir.path)
        let definition = Self.definition([P(name: "lr", hasDefault: true)], doc: "Line\n\"quoted\" é")
        let evidence = [SkillEvidence(study: "digits", trial: 7, status: "completed", metrics: ["loss": 0.25, "acc": 0.9])]
        _ = try library.save(definition, author: "ada", date: "2026-11-27T03:00:00Z", evidence: evidence)
        let record = try #require(try library.metadata(for: "sweep").first)
        #expect(record.sha256.count == 64 && record.sha256 == PackArchive.sha256(of: Array(definition.source.utf8)))
        #expect(record.doc == "Line\n\"quoted\" é" && record.author == "ada" && record.date == "2026-11-27T03:00:00Z")
        #expect(record.evidence == evidence)
        #expect(try library.metadata(for: "absent").isEmpty)
        #expect(dir.list().filter { $0.contains("tmp") }.isEmpty && dir.list("sweep") == ["1.0.0.loop", "skill.json"])
    }

    @Test func searchRanksNameThenDocThenSource() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("lib/cosine.loop", "skill cosine() \"A schedule\" { warm }\n")
        dir.write("lib/warmup.loop", "skill warmup() \"Linear ramp\" { 1 }\n")
        dir.write("lib/ramp.loop", "skill ramp() \"Warm start ramp\" { 1 }\n")
        dir.write("lib/other.loop", "skill other() \"Nothing\" { 1 }\n")
        let chain = SkillLibraryChain(libraries: [SkillLibrarySource(kind: .user, directory: dir.url("lib"))])
        // A stand-in for the language's parser: the doc is the first quoted string.
        let describe: (String) -> [SkillDefinition] = { source in
            let parts = source.split(separator: "\"")
            let name = String(source.split(separator: " ")[1].split(separator: "(")[0])
            return [SkillDefinition(name: name, doc: String(parts[1]), parameters: [], source: source)]
        }
        let hits = try chain.search("warm", describe: describe)
        #expect(hits.map(\.name) == ["warmup", "ramp", "cosine"])
        #expect(hits[0].doc == "Linear ramp" && hits[0].signature == "warmup()")
        #expect(try chain.search("", describe: describe).count == 4)
    }
}
