import Foundation
import LoopStore
import LoopStorePostgres
import LoopTestSupport
import Testing

/// `looplab store migrate`: SQLite to PostgreSQL and back, every table's count and hash equal,
/// ids kept (a migrated store goes on numbering where it stopped); a non-empty target refused
/// with nothing written.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"), .enabled(if: sharedPostgresStarted))
struct StoreMigrateTests {
    @Test func sqliteToPostgresAndBackKeepsEveryRow() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try PostgresStoreTests.study.write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        #expect(try runLooplab(["run", "s.loop"], directory: dir).status == 0)
        // What a study does not write by itself: a model version with a checkpoint, a skill and
        // its evidence, a trial's file, key/value memory, a NaN metric.
        let sqlitePath = dir.appendingPathComponent(".looplab/looplab.db").path
        do {
            let store = try Store(path: sqlitePath)
            defer { try? store.close() }
            let study = try #require(try store.study(named: "pg"))
            let trial = try #require(try store.trials(studyID: study.id).first)
            let checkpoint = try store.putArtifact(Data((0..<5000).map { UInt8($0 % 251) }), kind: "checkpoint", name: "w.bin")
            try store.attachArtifact(trialID: trial.id, role: "model", sha256: checkpoint.sha256)
            try store.registerModel("bowl", passedGate: true, gate: ["reason": "first"], metrics: ["loss": 0.1],
                                    artifactSHA256: checkpoint.sha256, trialID: trial.id)
            try store.recordInstall(InstalledSkill(name: "warmup", version: "1.0.0", sha256: "ab", source: "stdlib", permissions: ["exec": false]))
            try store.recordSkillUse(skill: "warmup", sha256: "ab", trialID: trial.id)
            try store.setMemory("best_lr", to: 0.003, tags: ["lr"])
            try store.recordTrial(studyID: study.id, params: ["x": 0.9, "act": "tanh"], state: .diverged, metrics: ["loss": .nan],
                                  error: "loss is NaN")
        }
        let url = try ThrowawayPostgres.shared.freshStoreURL()
        let there = try runLooplab(["store", "migrate", "--from", sqlitePath, "--to", url], directory: dir)
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("every table's count and hash match"), "\(there.stdout)")
        #expect(there.stdout.contains("trials") && !there.stdout.contains("DIFFERENT"))
        #expect(!there.stdout.contains(":looplab-test@"), "the password is never printed")

        // The same rows, read through each backend.
        PostgresStore.register()
        let original = try Store(path: sqlitePath, options: Store.Options(readOnly: true))
        let copy = try Store.open(url, projectDirectory: dir)
        let (a, b) = (try original.snapshot(), try copy.snapshot())
        #expect(a.tableDigests.map(\.sha256) == b.tableDigests.map(\.sha256))
        #expect(a.trials.count == 9 && b.models.first?.artifactSHA256 == a.models.first?.artifactSHA256)
        #expect(try copy.readArtifact(sha256: try #require(a.artifacts.first).sha256).count == 5000)
        #expect(try copy.recall("bowl").contains { $0.kind == .note })
        // A migrated study goes on where it stopped.
        let study = try #require(try copy.study(named: "pg"))
        let next = try copy.startTrial(studyID: study.id, params: ["x": 0.5, "act": "relu"])
        #expect(next.number == 9 && next.id > (a.trials.map(\.id).max() ?? 0))
        try copy.finishTrial(id: next.id, state: .complete, value: 0.04)
        try original.close()

        // Back into a new SQLite file: the PostgreSQL store's rows, artifacts included.
        let back = dir.appendingPathComponent("back.db").path
        let home = try runLooplab(["store", "migrate", "--from", url, "--to", back], directory: dir)
        #expect(home.status == 0, "\(home.stderr)")
        let returned = try Store(path: back)
        #expect(try returned.snapshot().tableDigests.map(\.sha256) == (try copy.snapshot()).tableDigests.map(\.sha256))
        #expect(try returned.readArtifact(sha256: try #require(a.artifacts.first).sha256).count == 5000)
        try returned.close()
        try copy.close()

        // A target that holds anything is refused, and nothing is written to it.
        let again = try runLooplab(["store", "migrate", "--from", sqlitePath, "--to", url], directory: dir)
        #expect(again.status == 2 && again.stderr.contains("is not empty"), "\(again.stderr)")
        #expect(try storedTrials("pg", store: url).count == 10)
        let missing = try runLooplab(["store", "migrate", "--from", "nope.db", "--to", url], directory: dir)
        #expect(missing.status == 2 && missing.stderr.contains("no store at"), "\(missing.stderr)")
    }
}
