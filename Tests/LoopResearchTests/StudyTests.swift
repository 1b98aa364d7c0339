import LoopResearch
import LoopSupport
import Testing

/// A clock tests move by hand.
final class ManualClock: @unchecked Sendable {
    var seconds = 0.0
    func now() -> Double { seconds }
}

/// Proposes tiny steps around 0.5: a strategy stuck circling one point.
struct CirclingSampler: Sampler {
    var name: String { "circling" }
    func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        [Config(["x": .double(0.5 + 1e-6 * Double(history.count))])]
    }
}

private func oneDimensional() throws -> Space { try Space([Parameter("x", .uniform(low: 0, high: 1))]) }

private func makeStudy(_ rails: Guardrails, store: any StudyStore = InMemoryStudyStore(), clock: ManualClock = ManualClock(),
                       goal: Goal = .minimize("loss"), strategy: Strategy = .random,
                       sampler: (any Sampler)? = nil) throws -> Study {
    let declaration = StudyDeclaration(name: "s", space: try oneDimensional(), goal: goal, strategy: strategy, seed: 7, guardrails: rails)
    return try Study(declaration, store: store, sampler: sampler, now: clock.now)
}

/// Runs the study to its stop, scoring each trial with `score` (nil: the trial fails with `error`).
@discardableResult
private func drive(_ study: Study, limit: Int = 1000, score: (Int, Config) -> Double?, error: (Int) -> String = { _ in "boom" }) throws -> Int {
    var n = 0
    while n < limit, let t = try study.next() {
        if let v = score(n, t.config) { try study.complete(t.id, metrics: ["loss": v]) } else { try study.fail(t.id, error: error(n)) }
        n += 1
    }
    return n
}

@Suite struct StudyGuardrailTests {
    @Test func maxTrialsStopsAndCountsAcrossRuns() throws {
        let store = InMemoryStudyStore()
        let study = try makeStudy(Guardrails(maxTrials: 6), store: store)
        #expect(try drive(study, limit: 4) { _, c in c["x"]!.number! } == 4)
        // A rerun (new Study object over the same store) runs only the remaining two.
        let again = try makeStudy(Guardrails(maxTrials: 6), store: store)
        #expect(try drive(again) { _, c in c["x"]!.number! } == 2)
        #expect(again.stopReason == .maxTrials)
        #expect(store.stopReasons[again.id] == "max_trials")
        #expect(again.trials.count == 6)
    }

    @Test func maxTimeStopsBeforeTheNextTrial() throws {
        let clock = ManualClock()
        let study = try makeStudy(Guardrails(maxTrials: nil, maxTime: 10), clock: clock)
        let ran = try drive(study) { i, _ in clock.seconds += 3; return Double(i) }
        #expect(ran == 4)  // starts at 0, 3, 6, 9 s; at 12 s the budget is spent
        #expect(study.stopReason == .maxTime)
    }

    @Test func patienceWithMinDelta() throws {
        // Improves by 0.5 for three trials, then only by 0.001 (below min_delta): stops after
        // `patience` trials without a real improvement.
        let study = try makeStudy(Guardrails(maxTrials: 100, patience: 4, minDelta: 0.01))
        let ran = try drive(study) { i, _ in i < 3 ? 10 - 0.5 * Double(i) : 9 - 0.001 * Double(i) }
        #expect(ran == 3 + 4)
        #expect(study.stopReason == .patience)
    }

    @Test func patienceWithoutMinDeltaCountsAnyImprovement() throws {
        let study = try makeStudy(Guardrails(maxTrials: 30, patience: 3))
        let ran = try drive(study) { i, _ in 10 - 0.001 * Double(i) }
        #expect(ran == 30)
        #expect(study.stopReason == .maxTrials)
    }

    @Test func maxFailuresInARow() throws {
        let study = try makeStudy(Guardrails(maxFailures: 3, maxRepeatedError: nil))
        // Fail, succeed, then three different failures in a row.
        let ran = try drive(study, score: { i, _ in i == 1 ? 1.0 : (i == 0 ? nil : nil) }, error: { "error \($0)" })
        #expect(ran == 5)
        #expect(study.stopReason == .maxFailures)
    }

    @Test func sameErrorRepeatingIsALoop() throws {
        let study = try makeStudy(Guardrails(maxFailures: 10, maxRepeatedError: 3))
        let ran = try drive(study, score: { i, _ in i < 2 ? 1.0 : nil }, error: { _ in "shape mismatch" })
        #expect(ran == 5)
        #expect(study.stopReason == .repeatedError)
    }

    @Test func differentErrorsAreNotALoop() throws {
        let study = try makeStudy(Guardrails(maxFailures: 4, maxRepeatedError: 3))
        let ran = try drive(study, score: { _, _ in nil }, error: { $0 % 2 == 0 ? "a" : "b" })
        #expect(ran == 4)
        #expect(study.stopReason == .maxFailures)
    }

    @Test func nearDuplicateProposalsAreALoop() throws {
        let study = try makeStudy(Guardrails(maxNearDuplicates: 4), sampler: CirclingSampler())
        // The first proposal is new; the next ones are within 1e-3 of it: four of them stop it.
        let ran = try drive(study) { _, c in c["x"]!.number! }
        #expect(ran == 4)
        #expect(study.stopReason == .nearDuplicates)
    }

    @Test func finiteSpaceRunsOut() throws {
        let space = try Space([Parameter("k", .integers(low: 1, high: 3, step: 1))])
        let study = try Study(StudyDeclaration(name: "k", space: space, goal: .maximize("loss"), strategy: .grid),
                              store: InMemoryStudyStore(), now: { 0 })
        #expect(try drive(study) { _, c in c["k"]!.number! } == 3)
        #expect(study.stopReason == .exhausted)
        #expect(study.best?.config["k"] == .int(3))
    }
}

@Suite struct StudyLifecycleTests {
    @Test func bestFollowsTheGoalDirection() throws {
        let study = try makeStudy(Guardrails(maxTrials: 12), goal: .maximize("loss"))
        try drive(study) { _, c in c["x"]!.number! }
        let values = study.trials.compactMap(\.value)
        #expect(study.best?.value == values.max())
    }

    @Test func nonFiniteGoalIsDiverged() throws {
        let study = try makeStudy(Guardrails(maxTrials: 1))
        let t = try #require(try study.next())
        let done = try study.complete(t.id, metrics: ["loss": .nan])
        #expect(done.status == .diverged)
    }

    @Test func missingGoalMetricIsRefused() throws {
        let study = try makeStudy(Guardrails(maxTrials: 1))
        let t = try #require(try study.next())
        #expect(throws: StudyError.self) { try study.complete(t.id, metrics: ["acc": 1]) }
        try study.complete(t.id, metrics: ["loss": 1])
        #expect(throws: StudyError.self) { try study.complete(t.id, metrics: ["loss": 2]) }
    }

    @Test func staleConfigurationsAreProposedAgainFirst() throws {
        let store = InMemoryStudyStore()
        let study = try makeStudy(Guardrails(maxTrials: 5), store: store)
        try drive(study, limit: 2) { _, c in c["x"]!.number! }
        let orphan = try #require(try study.next())
        store.simulateCrash()
        let resumed = try makeStudy(Guardrails(maxTrials: 5), store: store)
        let first = try #require(try resumed.next())
        #expect(first.config == orphan.config)
        #expect(first.number == 3)
        try resumed.complete(first.id, metrics: ["loss": 0.5])
        // Finished trials are not proposed again; the study runs to 5 finished trials.
        let rest = try drive(resumed) { _, c in c["x"]!.number! }
        #expect(rest == 2)
        let finished = resumed.trials.filter(\.status.isFinished)
        #expect(finished.count == 5)
        #expect(Set(finished.map(\.config)).count == 5)
    }

    @Test func resumedProposalsMatchTheUninterruptedRun() throws {
        let straight = try makeStudy(Guardrails(maxTrials: 8), strategy: .tpe)
        try drive(straight) { _, c in abs(c["x"]!.number! - 0.3) }
        let store = InMemoryStudyStore()
        try drive(try makeStudy(Guardrails(maxTrials: 8), store: store, strategy: .tpe), limit: 5) { _, c in abs(c["x"]!.number! - 0.3) }
        let resumed = try makeStudy(Guardrails(maxTrials: 8), store: store, strategy: .tpe)
        try drive(resumed) { _, c in abs(c["x"]!.number! - 0.3) }
        #expect(resumed.trials.map(\.config) == straight.trials.map(\.config))
    }

    @Test func medianPrunerStopsWorseThanMedian() throws {
        let study = try makeStudy(Guardrails(maxTrials: 10))
        for i in 0..<4 {
            let t = try #require(try study.next())
            try study.report(t.id, step: 1, value: Double(i))
            #expect(!study.shouldPrune(t.id))  // too few peers yet
            try study.complete(t.id, metrics: ["loss": Double(i)])
        }
        let bad = try #require(try study.next())
        try study.report(bad.id, step: 1, value: 10)
        #expect(study.shouldPrune(bad.id))
        try study.fail(bad.id, error: nil, status: .pruned)
        let good = try #require(try study.next())
        try study.report(good.id, step: 1, value: 0.1)
        #expect(!study.shouldPrune(good.id))
    }
}

@Suite struct PrunerTests {
    @Test func successiveHalvingJudgesAtRungs() {
        let asha = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        #expect([1, 3, 9, 27].allSatisfy(asha.isRung))
        #expect(![2, 4, 8, 10].contains(where: asha.isRung))
        let goal = Goal.minimize("loss")
        // First at a rung: always goes on.
        #expect(!asha.shouldPrune(step: 3, value: 5, others: [], goal: goal))
        // Six peers + itself = 7 values; the best 7/3 = 2 go on.
        let peers = [1.0, 2, 3, 4, 5, 6]
        #expect(!asha.shouldPrune(step: 3, value: 1.5, others: peers, goal: goal))
        #expect(asha.shouldPrune(step: 3, value: 2.5, others: peers, goal: goal))
        // Off a rung nothing is pruned; a non-finite value always is.
        #expect(!asha.shouldPrune(step: 4, value: 100, others: peers, goal: goal))
        #expect(asha.shouldPrune(step: 4, value: .nan, others: peers, goal: goal))
        // Maximising flips the order.
        #expect(!asha.shouldPrune(step: 3, value: 5.5, others: peers, goal: .maximize("acc")))
    }
}

@Suite struct SharedStudyTests {
    /// Two processes (two Study objects over one store) interleaving trials: no configuration is
    /// proposed twice and the study stops at `maxTrials` finished trials in all.
    @Test func twoRunnersShareOneStudy() throws {
        let store = InMemoryStudyStore()
        let space = try Space([Parameter("k", .integers(low: 1, high: 40, step: 1))])
        let declaration = StudyDeclaration(name: "shared", space: space, goal: .minimize("loss"), strategy: .random, seed: 3,
                                           guardrails: Guardrails(maxTrials: 20))
        let a = try Study(declaration, store: store, now: { 0 })
        let b = try Study(declaration, store: store, now: { 0 })
        var finished = 0
        while true {
            let ta = try a.next()
            let tb = try b.next()
            if ta == nil && tb == nil { break }
            if let ta { try a.complete(ta.id, metrics: ["loss": ta.config["k"]!.number!]); finished += 1 }
            if let tb { try b.complete(tb.id, metrics: ["loss": tb.config["k"]!.number!]); finished += 1 }
        }
        let all = store.studies["shared"]!.trials
        #expect(Set(all.map(\.config)).count == all.count)
        #expect(finished == 20 || finished == 21)  // the other runner may have one in flight at the limit
        #expect(a.stopReason == .maxTrials && b.stopReason == .maxTrials)
    }

    /// A trial claimed here can be numbered past a trial the other process claimed between this
    /// one's last look and its claim; that trial must still be read, or this process proposes
    /// and ranks from a partial history and leaves its loop with another `best` than the other.
    @Test func eachProcessSeesEveryTrialTheOtherRan() throws {
        let shared = InMemoryStudyStore()
        let racing = RacingStore(shared)
        // Different seeds, so the two do not propose the same configurations (the race would then
        // be lost by `a` every time, and `a` would claim nothing).
        let declaration = StudyDeclaration(name: "s", space: try oneDimensional(), goal: .minimize("loss"), strategy: .random, seed: 8,
                                           guardrails: Guardrails(maxTrials: 30))
        let a = try Study(declaration, store: racing, now: { 0 })
        let b = try makeStudy(Guardrails(maxTrials: 30), store: shared)
        // Every claim of `a` loses the race to one claim of `b`, made after `a` last looked.
        racing.beforeClaim = {
            if let t = try b.next() { try b.complete(t.id, metrics: ["loss": t.config["x"]!.number!]) }
        }
        while let t = try a.next() { try a.complete(t.id, metrics: ["loss": t.config["x"]!.number!]) }
        racing.beforeClaim = nil
        while let t = try b.next() { try b.complete(t.id, metrics: ["loss": t.config["x"]!.number!]) }
        _ = try a.next()
        for study in [a, b] {
            #expect(study.trials.map(\.number) == Array(0..<30), "\(study.trials.map(\.number))")
            #expect(study.observations().count == 30)
        }
        #expect(a.best?.id == b.best?.id)
    }
}

/// A store shared with another process that claims a trial just before each of ours.
final class RacingStore: StudyStore {
    let inner: InMemoryStudyStore
    var beforeClaim: (() throws -> Void)?
    init(_ inner: InMemoryStudyStore) { self.inner = inner }

    func openStudy(_ declaration: StudyDeclaration) throws -> (id: Int64, trials: [StudyTrial]) { try inner.openStudy(declaration) }
    func trials(studyID: Int64, fromNumber number: Int) throws -> [StudyTrial] { try inner.trials(studyID: studyID, fromNumber: number) }
    func claimTrial(studyID: Int64, config: Config, maxTrials: Int?, allowRepeat: Bool) throws -> TrialClaim {
        try beforeClaim?()
        return try inner.claimTrial(studyID: studyID, config: config, maxTrials: maxTrials, allowRepeat: allowRepeat)
    }
    func startRepeat(studyID: Int64, config: Config, repeatOf: Int, repeatIndex: Int) throws -> StudyTrial {
        try inner.startRepeat(studyID: studyID, config: config, repeatOf: repeatOf, repeatIndex: repeatIndex)
    }
    func finishTrial(_ trial: StudyTrial) throws { try inner.finishTrial(trial) }
    func report(trialID: Int64, step: Int, value: Double) throws { try inner.report(trialID: trialID, step: step, value: value) }
    func reports(trialIDs: [Int64]) throws -> [Int64: [Int: Double]] { try inner.reports(trialIDs: trialIDs) }
    func setStopReason(studyID: Int64, _ reason: String?) throws { try inner.setStopReason(studyID: studyID, reason) }
}
