import Foundation
import LoopStore
import LoopTestSupport
import Testing

/// Trials left `running` by a dead process become `stale` when the study is reopened; finished
/// trials and live owners are never touched.
@Suite(.enabled(if: sharedPostgresStarted)) struct StaleTrialsTests {
    @Test(arguments: Backend.allCases) func orphansOfADeadProcessBecomeStaleOnReopen(_ backend: Backend) throws {
        let tool = try StressTool()
        let fixture = try TestStore(backend, "stale")
        defer { fixture.close() }
        let store = fixture.store
        let spec = StudySpec(name: "held", space: ["x": ["uniform", 0, 1]], goalMetric: "score", goalDirection: .maximize)
        let study = try store.openStudy(spec)
        let finished = try store.recordTrial(studyID: study.id, params: ["x": 0.1], state: .complete, value: 1)
        let ours = try store.startTrial(studyID: study.id, params: ["x": 0.2])

        let child = try tool.start([fixture.location, "held", "--hold"])
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

    /// A trial whose body runs longer than the lease without reporting keeps it: the store
    /// renews the heartbeats of its running trials in the background. Once its owner stops
    /// (here: closes the store, as a killed worker stops beating), the next claim by any worker
    /// finds it stale, and it no longer counts against max_trials.
    @Test(arguments: Backend.allCases) func heartbeatsKeepALongTrialAliveAndASilentOneGoesStaleAtTheNextClaim(_ backend: Backend) throws {
        let options = Store.Options(trialLease: 0.4)
        let fixture = try TestStore(backend, "heartbeats", options: options)
        let owner = fixture.store
        let other = try fixture.reopen(options: options)
        defer { withExtendedLifetime(fixture) {} }
        let study = try owner.openStudy(StudySpec(name: "long"))
        let long = try owner.startTrial(studyID: study.id, params: ["x": 1])
        usleep(1_200_000)  // three leases without a report
        #expect(try other.recoverStaleTrials(studyID: study.id).isEmpty)
        #expect(try other.trial(id: long.id)?.state == .running)
        #expect(try #require(try other.trial(id: long.id)).heartbeatAt > long.heartbeatAt)

        try owner.close()
        usleep(800_000)
        // The claim that finds it marks it stale and starts nothing, so its configuration can be
        // proposed first; the next claim has the study's only place.
        guard case .orphansFound(let found) = try other.claimTrial(studyID: study.id, params: ["x": 2], maxTrials: 1, allowRepeat: false) else {
            Issue.record("the silent trial was not reported")
            return
        }
        #expect(found.map(\.id) == [long.id] && found.first?.state == .stale)
        guard case .started = try other.claimTrial(studyID: study.id, params: ["x": 1], maxTrials: 1, allowRepeat: false) else {
            Issue.record("the silent trial still held the study's only place")
            return
        }
        let silent = try #require(try other.trial(id: long.id))
        #expect(silent.state == .stale)
        #expect(silent.error?.contains("no heartbeat") == true)
        try other.close()
    }

    @Test(arguments: Backend.allCases) func anExpiredLeaseMakesEvenALiveOwnersTrialStale(_ backend: Backend) throws {
        let fixture = try TestStore(backend, "lease", options: Store.Options(trialLease: 60))
        defer { fixture.close() }
        let store = fixture.store
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
