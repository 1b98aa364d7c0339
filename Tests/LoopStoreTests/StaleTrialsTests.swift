import Foundation
import LoopStore
import Testing

/// Trials left `running` by a dead process become `stale` when the study is reopened; finished
/// trials and live owners are never touched.
@Suite struct StaleTrialsTests {
    @Test func orphansOfADeadProcessBecomeStaleOnReopen() throws {
        let tool = try StressTool()
        let directory = TemporaryDirectory("stale")
        let store = try Store(projectDirectory: directory.url)
        let spec = StudySpec(name: "held", space: ["x": ["uniform", 0, 1]], goalMetric: "score", goalDirection: .maximize)
        let study = try store.openStudy(spec)
        let finished = try store.recordTrial(studyID: study.id, params: ["x": 0.1], state: .complete, value: 1)
        let ours = try store.startTrial(studyID: study.id, params: ["x": 0.2])

        let child = try tool.start([directory.databasePath, "held", "--hold"])
        let handshake = try #require(child.readLine())
        let orphanID = try #require(Int64(handshake.split(separator: " ").last ?? ""))
        #expect(try store.trial(id: orphanID)?.state == .running)
        child.kill9()
        _ = child.finish()

        // Reopening the study (what a re-run script does) recovers the orphan.
        _ = try store.openStudy(spec)
        let orphan = try #require(try store.trial(id: orphanID))
        #expect(orphan.state == .stale)
        #expect(orphan.error?.contains("process \(child.pid)") == true)
        #expect(try store.trial(id: ours.id)?.state == .running, "a live owner keeps its trial")
        #expect(try store.trial(id: finished.id) == finished, "finished trials are never touched")

        // A late result from the owner is still accepted.
        try store.finishTrial(id: orphanID, state: .complete, value: 2)
        #expect(try store.trial(id: orphanID)?.state == .complete)
    }

    @Test func anExpiredLeaseMakesEvenALiveOwnersTrialStale() throws {
        let directory = TemporaryDirectory("lease")
        let store = try Store(projectDirectory: directory.url, options: Store.Options(trialLease: 60))
        let study = try store.openStudy(StudySpec(name: "lease"))
        let start = Date()
        let quiet = try store.startTrial(studyID: study.id, params: ["x": 1], now: start)
        let busy = try store.startTrial(studyID: study.id, params: ["x": 2], now: start)
        let done = try store.recordTrial(studyID: study.id, params: ["x": 3], state: .failed, error: "boom", now: start)
        try store.report(trialID: busy.id, step: 1, value: 0.3, now: start.addingTimeInterval(100))

        let marked = try store.recoverStaleTrials(studyID: study.id, now: start.addingTimeInterval(120))
        #expect(marked.map(\.id) == [quiet.id])
        #expect(marked.first?.error?.contains("no heartbeat") == true)
        #expect(try store.trial(id: busy.id)?.state == .running)
        #expect(try store.trial(id: done.id)?.state == .failed)

        let later = try store.recoverStaleTrials(studyID: study.id, now: start.addingTimeInterval(10_000))
        #expect(later.map(\.id) == [busy.id])
        #expect(try store.trial(id: done.id) == done)
    }
}
