import Foundation
import LoopStore
import LoopTestSupport
import Testing

/// Two processes writing one store at the same time: nothing lost, nobody sees "database is locked".
@Suite(.enabled(if: sharedPostgresStarted)) struct ConcurrencyTests {
    @Test(arguments: Backend.allCases) func twoProcessesWriteOneStudyConcurrently(_ backend: Backend) throws {
        let tool = try StressTool()
        let fixture = try TestStore(backend, "concurrent")
        defer { fixture.close() }
        // SQLite: both start on a store that does not exist yet (the fixture's file is elsewhere).
        let location = backend == .sqlite ? fixture.directory.url.appendingPathComponent("shared.db").path : fixture.location
        let perWriter = 120
        // Both start on a store that does not exist yet, so they also race to create and migrate it.
        let writers = try ["A", "B"].map { tag in
            try tool.start([location, "shared", "--count", "\(perWriter)", "--tag", tag])
        }
        let results = writers.map { $0.finish() }
        for (writer, result) in zip(writers, results) {
            #expect(writer.process.terminationStatus == 0 && result.stderr.isEmpty, "writer failed: \(result.stderr)")
            #expect(result.lines.count == perWriter)
        }

        let store = try TestStore.open(location)
        let study = try #require(try store.study(named: "shared"))
        let trials = try store.trials(studyID: study.id)
        #expect(trials.count == 2 * perWriter)
        #expect(trials.allSatisfy { $0.state == .complete })
        #expect(trials.map(\.number) == Array(0..<(2 * perWriter)), "numbers are unique and gapless")
        for tag in ["A", "B"] {
            #expect(trials.filter { $0.params["writer"] == .string(tag) }.count == perWriter)
        }
        #expect(try store.reports(studyID: study.id).count == 4 * perWriter)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test(arguments: Backend.allCases) func threadsOfOneProcessShareAStore(_ backend: Backend) async throws {
        let fixture = try TestStore(backend, "threads")
        defer { fixture.close() }
        let store = fixture.store
        let study = try store.openStudy(StudySpec(name: "threads"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<25 {
                        let trial = try store.startTrial(studyID: study.id, params: ["w": .int(worker), "i": .int(index)])
                        try store.finishTrial(id: trial.id, state: .complete, value: Double(index))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.trials(studyID: study.id).map(\.number) == Array(0..<100))
    }
}
