import Foundation
import GRDB
import LoopStore
import LoopTestSupport
import LoopSupport
import Testing

@Suite(.enabled(if: sharedPostgresStarted)) struct StoreBasicsTests {
    @Test func opensUnderTheProjectDirectoryInWALModeAtV1() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(path: directory.databasePath)
        #expect(store.path == directory.databasePath)
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(".looplab/looplab.db").path))
        #expect(try store.schemaVersions() == ["v1", "v2", "v3", "v4"])
        #expect(try store.integrityCheck() == ["ok"])
        #expect(try store.durabilityInEffect() == .normal)
        try store.close()
        #expect(try SQLiteStore(path: directory.databasePath, options: .init(durability: .full)).durabilityInEffect() == .full)

        let queue = try DatabaseQueue(path: directory.databasePath)
        let mode = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// The chosen path (HostSettings picks --store or LOOPLAB_STORE), relative to the project,
    /// else the project's default.
    @Test func aChosenPathElseTheProjectDefault() {
        let project = URL(fileURLWithPath: "/work/project")
        #expect(Store.resolvePath(nil, projectDirectory: project).path == "/work/project/.looplab/looplab.db")
        #expect(Store.resolvePath("", projectDirectory: project).path == "/work/project/.looplab/looplab.db")
        #expect(Store.resolvePath("/data/x.db", projectDirectory: project).path == "/data/x.db")
        #expect(Store.resolvePath("runs/y.db", projectDirectory: project).path == "/work/project/runs/y.db")
    }

    @Test(arguments: Backend.allCases) func studiesAndTrialsRoundTrip(_ backend: Backend) throws {
        let fixture = try TestStore(backend)
        defer { fixture.close() }
        let store = fixture.store
        let spec = StudySpec(name: "digits-mlp", description: "MLP on digits",
                             space: ["lr": ["loguniform", 1e-4, 0.1], "hidden": ["choice", 32, 64]],
                             goalMetric: "accuracy", goalDirection: .maximize, strategy: "tpe", seed: 1,
                             settings: ["max_trials": 40])
        let study = try store.openStudy(spec)
        #expect(study.name == "digits-mlp" && study.goalDirection == .maximize && study.seed == 1)
        #expect(study.space == spec.space && study.settings == ["max_trials": 40])

        let first = try store.startTrial(studyID: study.id, params: ["lr": 0.01, "hidden": 64], seed: 7)
        #expect(first.number == 0 && first.state == .running && first.pid == getpid())
        try store.report(trialID: first.id, step: 1, value: 0.5)
        try store.report(trialID: first.id, step: 1, value: 0.6)  // a step reported again replaces
        try store.report(trialID: first.id, step: 2, value: 0.8)
        #expect(try store.reports(trialID: first.id).map(\.value) == [0.6, 0.8])
        let done = try store.finishTrial(id: first.id, state: .complete, metrics: ["accuracy": 0.9], value: 0.9)
        #expect(done.state == .complete && done.finishedAt != nil && done.params["hidden"] == .int(64))
        #expect(throws: StoreError.trialAlreadyFinished(id: first.id, state: .complete)) {
            try store.finishTrial(id: first.id, state: .failed, error: "late")
        }

        let mixed: [String: JSONValue] = ["flag": true, "one": 1, "half": 0.5, "name": "relu", "list": [1, 2.5, "x"],
                                          "nested": ["a": nil]]
        let second = try store.startTrial(studyID: study.id, params: mixed)
        #expect(try store.trial(id: second.id)?.params == mixed)
        #expect(second.number == 1)
        try store.finishTrial(id: second.id, state: .diverged, metrics: ["loss": .nan], error: "loss is NaN")
        #expect(try store.trial(id: second.id)?.metrics["loss"]?.isNaN == true)
        try store.recordTrial(studyID: study.id, params: ["lr": 0.001, "hidden": 64], state: .complete,
                              metrics: ["accuracy": 0.95], value: 0.95)

        #expect(try store.bestTrial(studyID: study.id)?.value == 0.95)
        #expect(try store.trials(studyID: study.id).map(\.number) == [0, 1, 2])
        #expect(try store.trials(studyID: study.id, states: [.diverged]).map(\.number) == [1])
        #expect(try store.trials(studyID: study.id, states: [.diverged, .complete]).count == 3)

        // Reopening keeps the id and history, takes the grown space, clears the stop reason.
        try store.setStopReason(studyID: study.id, "max_trials")
        #expect(try store.study(named: "digits-mlp")?.stopReason == "max_trials")
        var grown = spec
        grown.space = ["lr": ["loguniform", 1e-4, 0.1], "hidden": ["choice", 32, 64, 128]]
        let reopened = try store.openStudy(grown)
        #expect(reopened.id == study.id && reopened.space == grown.space && reopened.stopReason == nil)
        #expect(try store.trials(studyID: study.id).count == 3)
        #expect(try store.studies().map(\.name) == ["digits-mlp"])
        #expect(throws: StoreError.studyNotFound("id 999")) { try store.startTrial(studyID: 999, params: [:]) }
    }

    @Test(arguments: Backend.allCases) func notesAndKeyValueMemory(_ backend: Backend) throws {
        let fixture = try TestStore(backend)
        defer { fixture.close() }
        let store = fixture.store
        try store.remember("warmup helps", tags: ["lr", "schedule"])
        try store.remember("batch 256 is too large", tags: ["batch"])
        try store.setMemory("best_lr", to: 0.003)
        try store.setMemory("best_lr", to: 0.002)
        #expect(try store.memory("best_lr") == .number(0.002))
        #expect(try store.memory("missing") == nil)
        #expect(try store.notes(tag: "lr").map(\.text) == ["warmup helps"])
        #expect(try store.notes().count == 3)
    }

    @Test(arguments: Backend.allCases) func registryPromotesRejectsAndRollsBack(_ backend: Backend) throws {
        let fixture = try TestStore(backend)
        defer { fixture.close() }
        let store = fixture.store
        let v1 = try store.registerModel("digits", passedGate: true, gate: ["reason": "first"], metrics: ["accuracy": 0.9])
        let v2 = try store.registerModel("digits", passedGate: false, gate: ["reason": "worse on val"], metrics: ["accuracy": 0.8])
        let v3 = try store.registerModel("digits", passedGate: true, metrics: ["accuracy": 0.93])
        #expect([v1.version, v2.version, v3.version] == [1, 2, 3] as [Int])
        #expect(v2.status == .rejected)
        #expect(try store.champion(model: "digits")?.version == 3)
        #expect(try store.rollback(model: "digits")?.version == 1)
        #expect(try store.versions(model: "digits").map(\.status) == [.promoted, .rejected, .rolledBack])
        #expect(try store.rollback(model: "digits") == nil)
        #expect(throws: StoreError.modelNotFound(name: "digits")) { try store.rollback(model: "digits") }
        #expect(throws: StoreError.artifactMissing(sha256: String(repeating: "0", count: 64))) {
            try store.registerModel("digits", passedGate: true, artifactSHA256: String(repeating: "0", count: 64))
        }
    }

    @Test(arguments: Backend.allCases) func installedSkillsAreRecorded(_ backend: Backend) throws {
        let fixture = try TestStore(backend)
        defer { fixture.close() }
        let store = fixture.store
        try store.recordInstall(InstalledSkill(name: "sweep", version: "1.0.0", sha256: "ab", source: "stdlib",
                                               permissions: ["exec": false]))
        try store.recordInstall(InstalledSkill(name: "sweep", version: "1.1.0", sha256: "cd", source: "stdlib"))
        #expect(try store.installedSkills().map(\.version) == ["1.0.0", "1.1.0"])
        #expect(try store.removeInstall(name: "sweep", version: "1.0.0") == 1)
        #expect(try store.installedSkills().map(\.permissions) == [[:]])
    }

    @Test(arguments: Backend.allCases) func skillUsesAreEvidenceWithTheirTrialsOutcome(_ backend: Backend) throws {
        let fixture = try TestStore(backend)
        defer { fixture.close() }
        let store = fixture.store
        let study = try store.openStudy(StudySpec(name: "digits"))
        let first = try store.startTrial(studyID: study.id, params: ["lr": .number(0.1)])
        let second = try store.startTrial(studyID: study.id, params: ["lr": .number(0.01)])
        try store.recordSkillUse(skill: "warmup", sha256: "aa", trialID: first.id)
        try store.recordSkillUse(skill: "warmup", sha256: "aa", trialID: first.id)
        try store.recordSkillUse(skill: "warmup", sha256: "bb", trialID: second.id)
        _ = try store.finishTrial(id: first.id, state: .complete, metrics: ["accuracy": 0.9], value: 0.9)
        let all = try store.skillUses(skill: "warmup")
        #expect(all.map(\.trialNumber) == [0, 1])
        #expect(all.first == SkillUse(study: "digits", trialNumber: 0, state: .complete, metrics: ["accuracy": 0.9]))
        #expect(try store.skillUses(skill: "warmup", sha256: "bb").map(\.state) == [.running])
        #expect(try store.skillUses(skill: "other").isEmpty)
    }
}

/// `Trial` reads rows by position; the schema must keep the order it expects.
@Suite struct TrialColumnOrderTests {
    let directory = TemporaryDirectory("columns")

    @Test func theTrialsTableHasTheColumnsTrialReadsInTheirOrder() throws {
        let store = try SQLiteStore(path: directory.databasePath)
        let names = try store.tableColumns("trials")
        #expect(names == Trial.columnOrder)
    }
}
