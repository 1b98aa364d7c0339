import Foundation
import LoopStore
import LoopTestSupport
import Testing

/// Content-addressed artifacts: round trip, deduplication, and tamper detection on read.
@Suite(.enabled(if: sharedPostgresStarted)) struct ArtifactTests {
    @Test(arguments: Backend.allCases) func roundTripAndDeduplication(_ backend: Backend) throws {
        let fixture = try TestStore(backend, "artifacts")
        defer { fixture.close() }
        let store = fixture.store
        let hello = try store.putArtifact(Data("hello".utf8), kind: "log", name: "hello.txt")
        #expect(hello.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(hello.path == "artifacts/2c/f24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(hello.size == 5)
        if backend == .sqlite {
            #expect(FileManager.default.fileExists(atPath: fixture.directory.url.appendingPathComponent(".looplab/" + hello.path).path))
        }
        #expect(try store.readArtifact(sha256: hello.sha256) == Data("hello".utf8))
        #expect(try store.putArtifact(Data("hello".utf8), kind: "log") == hello)

        // A file larger than one copy chunk, streamed in.
        var bytes = Data(count: 3 << 20 + 123)
        for index in stride(from: 0, to: bytes.count, by: 97) { bytes[index] = UInt8(truncatingIfNeeded: index) }
        let source = fixture.directory.url.appendingPathComponent("weights.bin")
        try bytes.write(to: source)
        let checkpoint = try store.putArtifact(fileAt: source, kind: "checkpoint")
        #expect(checkpoint.name == "weights.bin" && checkpoint.size == Int64(bytes.count))
        #expect(try store.readArtifact(sha256: checkpoint.sha256) == bytes)
        #expect(try Data(contentsOf: store.verifiedArtifactURL(sha256: checkpoint.sha256)) == bytes)

        let model = try store.registerModel("digits", passedGate: true, artifactSHA256: checkpoint.sha256)
        #expect(try store.champion(model: "digits")?.artifactSHA256 == model.artifactSHA256)

        // Another process (another store on the same database) reads the same bytes.
        let other = try fixture.reopen()
        #expect(try other.readArtifact(sha256: checkpoint.sha256) == bytes)
        #expect(try other.putArtifact(Data("hello".utf8), kind: "log") == hello, "stored once")
        let study = try other.openStudy(StudySpec(name: "s"))
        let trial = try other.startTrial(studyID: study.id, params: [:])
        try other.attachArtifact(trialID: trial.id, role: "model", sha256: checkpoint.sha256)
        #expect(try store.trialArtifact(trialID: trial.id, role: "model") == checkpoint)
        #expect(try Data(contentsOf: store.artifactURL(checkpoint)) == bytes)
        #expect(throws: StoreError.self) { try store.attachArtifact(trialID: trial.id, role: "x", sha256: String(repeating: "1", count: 64)) }
        #expect(try store.integrityCheck() == ["ok"])
        try other.close()
    }

    @Test func tamperedAndMissingFilesAreRefused() throws {
        let directory = TemporaryDirectory("tamper")
        let store = try Store(projectDirectory: directory.url)
        let artifact = try store.putArtifact(Data(repeating: 7, count: 4096), kind: "checkpoint")
        let file = directory.url.appendingPathComponent(".looplab/" + artifact.path)
        var bytes = try Data(contentsOf: file)
        bytes[100] ^= 0xff
        try bytes.write(to: file)

        #expect {
            try store.readArtifact(sha256: artifact.sha256)
        } throws: { error in
            guard case .artifactTampered(let expected, let actual, _) = error as? StoreError else { return false }
            return expected == artifact.sha256 && actual != expected
        }
        #expect(throws: StoreError.self) { try store.verifiedArtifactURL(sha256: artifact.sha256) }

        try FileManager.default.removeItem(at: file)
        #expect(throws: StoreError.artifactMissing(sha256: artifact.sha256)) { try store.readArtifact(sha256: artifact.sha256) }
        #expect(throws: StoreError.artifactMissing(sha256: "ab")) { try store.readArtifact(sha256: "ab") }
    }
}
