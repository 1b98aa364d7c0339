import LoopSupport

/// A named search: proposes configurations one at a time until a guardrail stops it, records
/// every trial through a `StudyStore`, and resumes from what the store holds.
///
/// Resuming: completed (and otherwise finished) trials are never proposed again; `stale` trials
/// — left running by a process that died — have their configurations proposed again first.
/// Proposals are a pure function of the seed and the history, so a resumed study proposes what
/// the uninterrupted one would have.
public final class Study {
    public private(set) var declaration: StudyDeclaration
    /// The store's key for the study.
    public let id: Int64
    /// Every trial, in number order.
    public private(set) var trials: [StudyTrial]
    /// Why the study stopped, once `next()` has returned nil.
    public private(set) var stopReason: StopReason?
    /// Decides `shouldPrune`; the median rule unless the caller picks another.
    public var pruner: any Pruner = MedianPruner()

    private let store: any StudyStore
    private let sampler: any Sampler
    private let now: () -> Double
    private var runStartedAt: Double
    private var nearDuplicatesInARow = 0
    /// Unit coordinates of each trial's configuration, for the near-duplicate guardrail (a
    /// trial's configuration never changes, and recomputing them dominated its cost).
    private var unitPoints: [Int64: [Double?]] = [:]
    /// Trials this object started; the others may belong to another process running the study.
    private var startedHere: Set<Int64> = []
    /// When (on `now`) each trial this object started began: its cost in seconds at the finish.
    private var startTimes: [Int64: Double] = [:]
    /// Whether the store may hold trials this object has not read: true at first, after a claim
    /// that started nothing, and when a claim's number skipped past the trials known here
    /// (another process claimed in between). While false and no other process's trial is
    /// running, catching up needs no read: one round trip less per trial for a study that one
    /// process runs, which matters on a server store.
    private var mayHaveMissed = true
    /// Trials (of other processes, or of earlier runs) whose intermediate values have not been
    /// read yet: read when the pruner first needs them, so a study that never prunes pays no
    /// read per trial for them.
    private var unreadReports: Set<Int64> = []
    /// Intermediate values reported in this process, by trial id then step (for the pruner).
    private var reports: [Int64: [Int: Double]] = [:]
    /// Called while the study is full but other processes still run some of its trials: pauses
    /// briefly and says whether to go on waiting (false: a Ctrl-C). Nil: do not wait.
    public var waitForOtherProcesses: (() -> Bool)?
    /// Mixed into the proposals' random stream while other processes run trials of the study:
    /// processes with the same history would otherwise propose the same point, and all but one
    /// would lose the claim, re-read the study and propose again, in lockstep. The caller makes
    /// it differ per process; a study run by one process never uses it, so it stays reproducible.
    public var processSalt: UInt64 = 0

    /// Opens (or reopens) the study in `store`. `now` is the clock for `maxTime`, in seconds;
    /// `sampler` replaces the declaration's strategy (tests use it to force behaviours).
    public init(_ declaration: StudyDeclaration, store: any StudyStore, sampler: (any Sampler)? = nil,
                now: @escaping () -> Double) throws(StudyError) {
        self.declaration = declaration
        self.store = store
        self.sampler = sampler ?? declaration.strategy.makeSampler(seed: declaration.seed)
        self.now = now
        self.runStartedAt = now()
        let opened = try Study.storing { try store.openStudy(declaration) }
        self.id = opened.id
        self.trials = opened.trials.sorted { $0.number < $1.number }
        unreadReports = Set(trials.map(\.id))
    }

    /// Seconds since this run started (what `maxTime` is checked against).
    public var elapsed: Double { now() - runStartedAt }

    /// Updates the guardrails (a rerun may change them) and starts a new run: `maxTime` counts
    /// from now, and the previous stop reason is cleared.
    public func restart(guardrails: Guardrails? = nil) throws(StudyError) {
        if let guardrails { declaration.guardrails = guardrails }
        runStartedAt = now()
        nearDuplicatesInARow = 0
        mayHaveMissed = true
        stopReason = nil
        try Study.storing { try store.setStopReason(studyID: id, nil) }
    }

    // MARK: Proposing

    /// Starts the next trial, or returns nil (and records `stopReason`) when a guardrail stops the
    /// study. A stale configuration is proposed again before anything new.
    ///
    /// The trial is claimed in the store (`StudyStore.claimTrial`): when another process running
    /// the study claimed the same configuration first, this one catches up with what that process
    /// started and proposes again; when the study has reached `maxTrials` counting the trials
    /// other processes are still running, it stops.
    public func next() throws(StudyError) -> StudyTrial? {
        if stopReason != nil { return try nextRepeat() }
        var claims = 0
        while true {
            try catchUp()
            let rails = declaration.guardrails
            // Repeats re-run finalists; they are not part of the search the guardrails bound.
            // Without repeats (the usual case) the trials themselves, not a copy of each one.
            let searched = trials.indices.contains { trials[$0].isRepeat } ? trials.filter { !$0.isRepeat } : trials
            if let reason = rails.stopReason(trials: searched, goal: declaration.goal, elapsed: now() - runStartedAt) {
                return try stop(reason)
            }
            guard let config = try proposal(counting: claims == 0) else { return try stop(stopReason ?? .exhausted) }
            let claim = try Study.storing {
                try store.claimTrial(studyID: id, config: config, maxTrials: rails.maxTrials, allowRepeat: declaration.allowRepeat)
            }
            switch claim {
            case .started(let trial):
                startedHere.insert(trial.id)
                startTimes[trial.id] = now()
                if trial.number != trials.count { mayHaveMissed = true }
                trials.append(trial)
                if trials.count > 1, trials[trials.count - 2].number > trial.number { trials.sort { $0.number < $1.number } }
                return trial
            case .limitReached:
                mayHaveMissed = true
                try catchUp()
                // Other workers' trials still running: wait for them, so this loop ends on the
                // study's final state; if one of them dies, its trial goes stale at a later claim
                // and frees its place, and this process runs that configuration instead.
                if othersRunning,
                   let wait = waitForOtherProcesses, wait() {
                    continue
                }
                return try stop(.maxTrials)
            case .taken:
                mayHaveMissed = true
                // Another process claimed this configuration between our read and our claim (or
                // the claim found a dead process's trials and marked them stale); what changed is
                // read back at the top of the loop, so the next proposal differs (stale first).
                claims += 1
                if claims > Study.maxClaimAttempts { throw .store(message: "could not claim a new trial after \(claims) attempts: other processes kept claiming the same configurations") }
            }
        }
    }

    /// Enough for any number of processes racing on one study: each lost claim means another
    /// process started a trial, which the next proposal takes into account.
    static let maxClaimAttempts = 1000

    /// The configuration to claim next: a stale one first, else the sampler's proposal. Nil when
    /// the space is exhausted or the near-duplicate guardrail trips (then `stopReason` is set).
    /// `counting` is false on a retry after a lost claim, so one proposal is not counted twice.
    private func proposal(counting: Bool) throws(StudyError) -> Config? {
        if let stale = pendingStaleConfig() { return stale }
        let history = observations()
        let concurrent = othersRunning
        var rng = SeededRandom(seed: declaration.seed ^ (UInt64(history.count) &* 0x9E37_79B9_7F4A_7C15) ^ (concurrent ? processSalt : 0))
        guard let proposed = sampler.propose(space: declaration.space, history: history, n: 1,
                                             allowRepeat: declaration.allowRepeat, rng: &rng).first else {
            return nil
        }
        if counting, let limit = declaration.guardrails.maxNearDuplicates, limit > 0 {
            let space = declaration.space
            var tried: [[Double?]] = []
            tried.reserveCapacity(trials.count)
            for i in trials.indices where trials[i].status != .stale {
                let id = trials[i].id
                if let known = unitPoints[id] { tried.append(known) } else {
                    let point = space.unitPoint(of: trials[i].config)
                    unitPoints[id] = point
                    tried.append(point)
                }
            }
            if declaration.guardrails.isNearDuplicate(space.unitPoint(of: proposed), of: tried, in: space) {
                nearDuplicatesInARow += 1
                if nearDuplicatesInARow >= limit {
                    stopReason = .nearDuplicates
                    return nil
                }
            } else {
                nearDuplicatesInARow = 0
            }
        }
        return proposed
    }

    /// Picks up trials another process started, and the outcome of those it was running, so two
    /// processes on one study neither propose the same configuration nor overrun `maxTrials`.
    /// In the common single-process case this is one empty indexed read.
    private func catchUp() throws(StudyError) {
        // Through indices, not elements: this runs before every proposal, and copying each
        // trial (reference-counted configuration, metrics, error) was most of its cost.
        var foreignRunning: Int?
        for i in trials.indices where trials[i].status == .running && !startedHere.contains(trials[i].id) {
            foreignRunning = min(foreignRunning ?? .max, trials[i].number)
        }
        // Trial numbers are dense from 0, so the first gap is the first trial not seen yet: a
        // trial this process claimed can be numbered past trials others started in between,
        // and reading on from the last known number would lose those for good.
        var firstUnseen = trials.count
        for i in trials.indices where trials[i].number != i {
            firstUnseen = i
            break
        }
        if foreignRunning == nil, !mayHaveMissed, firstUnseen == trials.count { return }
        let from = min(foreignRunning ?? .max, firstUnseen)
        let fresh = try Study.storing { try store.trials(studyID: id, fromNumber: from) }
        mayHaveMissed = false
        guard !fresh.isEmpty else { return }
        var byID = Dictionary(uniqueKeysWithValues: trials.enumerated().map { ($1.id, $0) })
        var foreign: [Int64] = []
        for t in fresh where !startedHere.contains(t.id) {
            if let i = byID[t.id] { trials[i] = t } else { byID[t.id] = trials.count; trials.append(t) }
            foreign.append(t.id)
        }
        trials.sort { $0.number < $1.number }
        unreadReports.formUnion(foreign)
    }

    /// Reads the intermediate values of these trials from the store (other processes, earlier
    /// runs), so the pruner compares against every trial of the study.
    private func loadReports(_ trialIDs: [Int64]) throws(StudyError) {
        let stored = try Study.storing { try store.reports(trialIDs: trialIDs) }
        for (trialID, steps) in stored { reports[trialID] = steps }
    }

    /// What the sampler learns from: every non-stale trial, values minimised. Running trials are
    /// pending (tried, value to come); a pruned trial takes the worst complete value, since the
    /// pruner judged it worse than its peers (with successive halving most trials end pruned,
    /// and a model blind to them proposes their neighbours again); failed and interrupted ones
    /// count as tried without a value.
    public func observations() -> [Observation] {
        // One pass each, no intermediate copy of the trials: this runs for every proposal.
        var worst: Double?
        for i in trials.indices where trials[i].status == .complete && !trials[i].isRepeat {
            if let v = trials[i].value.map(declaration.goal.objective), v.isFinite { worst = max(worst ?? v, v) }
        }
        var observations: [Observation] = []
        observations.reserveCapacity(trials.count)
        for i in trials.indices where trials[i].status != .stale && !trials[i].isRepeat {
            let config = trials[i].config
            switch trials[i].status {
            case .complete:
                observations.append(Observation(config: config, value: trials[i].value.map(declaration.goal.objective), cost: trials[i].seconds))
            case .running: observations.append(Observation(config: config, value: nil, pending: true))
            case .pruned: observations.append(Observation(config: config, value: worst, pending: false))
            default: observations.append(Observation(config: config, value: nil, pending: false))
            }
        }
        return observations
    }

    /// Whether a trial another process started is still running.
    private var othersRunning: Bool {
        trials.indices.contains { trials[$0].status == .running && !startedHere.contains(trials[$0].id) }
    }

    /// The first stale configuration no later trial has run again.
    private func pendingStaleConfig() -> Config? {
        // Hashing every configuration on every proposal is the cost; most studies have no stale trial.
        guard trials.indices.contains(where: { trials[$0].status == .stale && !trials[$0].isRepeat }) else { return nil }
        let stale = trials.filter { $0.status == .stale && !$0.isRepeat }
        let rerun = Set(trials.filter { $0.status != .stale }.map(\.config))
        return stale.first { !rerun.contains($0.config) }?.config
    }

    /// Records why the search stopped, then goes on with the finalists' repeats, if any.
    private func stop(_ reason: StopReason) throws(StudyError) -> StudyTrial? {
        stopReason = reason
        try Study.storing { try store.setStopReason(studyID: id, reason.rawValue) }
        return try nextRepeat()
    }

    // MARK: Repeats

    /// The best complete proposed configurations (not repeats), best first: the ones `repeats`
    /// runs again before `best` is decided.
    public var finalists: [StudyTrial] {
        let count = declaration.finalists ?? max(declaration.repeats, 1)
        let goal = declaration.goal
        var seen = Set<Config>()
        return trials.filter { $0.status == .complete && !$0.isRepeat && $0.value != nil }
            .sorted { a, b in a.value! == b.value! ? a.number < b.number : goal.improves(a.value!, on: b.value!) }
            .filter { seen.insert($0.config).inserted }
            .prefix(count).map { $0 }
    }

    /// The next repeat a finalist still needs, or nil when all have run (then the study is over).
    /// Repeats that went stale are run again; finished or running ones count.
    private func nextRepeat() throws(StudyError) -> StudyTrial? {
        guard declaration.repeats > 0 else { return nil }
        try catchUp()
        for finalist in finalists {
            let done = trials.filter { $0.repeatOf == finalist.number && $0.status != .stale }.count
            guard done < declaration.repeats else { continue }
            let trial = try Study.storing {
                try store.startRepeat(studyID: id, config: finalist.config, repeatOf: finalist.number, repeatIndex: done + 1)
            }
            startedHere.insert(trial.id)
            if trial.number != trials.count { mayHaveMissed = true }
            trials.append(trial)
            if trials.count > 1, trials[trials.count - 2].number > trial.number { trials.sort { $0.number < $1.number } }
            return trial
        }
        return nil
    }

    /// The goal values of a configuration's complete runs: the trial itself, then its repeats.
    public func runs(of trial: StudyTrial) -> [StudyTrial] {
        let original = trial.repeatOf.flatMap { n in trials.first { $0.number == n } } ?? trial
        return trials.filter { ($0.number == original.number || $0.repeatOf == original.number) && $0.status == .complete && $0.value != nil }
    }

    /// The mean goal value over a configuration's complete runs (nil when none completed).
    public func meanValue(of trial: StudyTrial) -> Double? {
        let values = runs(of: trial).compactMap(\.value)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// A trial's seed: a function of the study's seed and the trial's number, so every trial, a
    /// repeat included, has its own, and a rerun gives a trial the same one. In 0..<2^31.
    public func seed(of trial: StudyTrial) -> Int {
        var z = declaration.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(trial.number + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) & 0x7FFF_FFFF)
    }

    // MARK: Finishing trials

    /// Completes a running trial with its metrics; the goal metric must be among them. A
    /// non-finite goal value (NaN, infinity) marks the trial `diverged`.
    @discardableResult
    public func complete(_ trialID: Int64, metrics: [String: Double], integerMetrics: Set<String> = []) throws(StudyError) -> StudyTrial {
        let goal = declaration.goal.metric
        guard let value = metrics[goal] else {
            throw .missingGoalMetric(metric: goal, available: metrics.keys.sorted())
        }
        return try finish(trialID, status: value.isFinite ? .complete : .diverged, metrics: metrics,
                          integerMetrics: integerMetrics, value: value.isFinite ? value : nil,
                          error: value.isFinite ? nil : "\(goal) is \(value)")
    }

    /// Ends a running trial as `failed` (or `pruned`, `diverged`, `interrupted`) with a reason.
    @discardableResult
    public func fail(_ trialID: Int64, error: String?, status: TrialStatus = .failed) throws(StudyError) -> StudyTrial {
        let index = try indexOf(trialID)
        return try finish(trialID, status: status, metrics: trials[index].metrics, integerMetrics: trials[index].integerMetrics,
                          value: nil, error: error)
    }

    private func finish(_ trialID: Int64, status: TrialStatus, metrics: [String: Double], integerMetrics: Set<String>,
                        value: Double?, error: String?) throws(StudyError) -> StudyTrial {
        let index = try indexOf(trialID)
        var trial = trials[index]
        if trial.status.isFinished { throw .trialFinished(number: trial.number, status: trial.status) }
        trial.status = status
        trial.metrics = metrics
        trial.integerMetrics = integerMetrics
        trial.value = value
        trial.error = error
        if let start = startTimes.removeValue(forKey: trialID) { trial.seconds = now() - start }
        let finished = trial
        try Study.storing { try store.finishTrial(finished) }
        trials[index] = trial
        return trial
    }

    /// The trial with this id, if the study has it.
    public func trial(_ trialID: Int64) -> StudyTrial? { trials.first { $0.id == trialID } }

    private func indexOf(_ trialID: Int64) throws(StudyError) -> Int {
        guard let i = trials.firstIndex(where: { $0.id == trialID }) else { throw .unknownTrial(id: trialID) }
        return i
    }

    // MARK: Results and pruning

    /// The best complete trial in the goal's direction (the earliest among equals). With
    /// `repeats`, the finalist whose runs have the best mean (a repeat is never `best` itself; its
    /// original trial is).
    public var best: StudyTrial? {
        guard declaration.repeats > 0 else {
            var best: Int?
            for i in trials.indices where trials[i].status == .complete {
                if let v = trials[i].value, declaration.goal.improves(v, on: best.flatMap { trials[$0].value }) { best = i }
            }
            return best.map { trials[$0] }
        }
        var best: (trial: StudyTrial, mean: Double)?
        for t in finalists {
            if let mean = meanValue(of: t), declaration.goal.improves(mean, on: best?.mean) { best = (t, mean) }
        }
        return best?.trial
    }

    /// Records an intermediate value of a running trial.
    public func report(_ trialID: Int64, step: Int, value: Double) throws(StudyError) {
        let index = try indexOf(trialID)
        if trials[index].status.isFinished {
            throw .trialFinished(number: trials[index].number, status: trials[index].status)
        }
        try Study.storing { try store.report(trialID: trialID, step: step, value: value) }
        reports[trialID, default: [:]][step] = value
    }

    /// Whether the pruner stops the trial, judging its latest report against the values its
    /// peers (`Pruner.peers`) reported at the same step.
    public func shouldPrune(_ trialID: Int64) -> Bool {
        // Best effort: if the store cannot be read now, judge with the values already known.
        if !unreadReports.isEmpty, (try? loadReports(Array(unreadReports))) != nil { unreadReports = [] }
        guard let mine = reports[trialID], let step = mine.keys.max(), let value = mine[step] else { return false }
        let completeOnly = pruner.peers == .complete
        let complete = completeOnly ? Set(trials.lazy.filter { $0.status == .complete }.map(\.id)) : []
        let others = reports.compactMap { id, steps in
            id == trialID || (completeOnly && !complete.contains(id)) ? nil : steps[step]
        }
        return pruner.shouldPrune(step: step, value: value, others: others, goal: declaration.goal)
    }

    /// Runs a store operation, turning its error into `StudyError.store`.
    static func storing<T>(_ body: () throws -> T) throws(StudyError) -> T {
        do { return try body() } catch let error as StudyError { throw error } catch {
            throw .store(message: String(describing: error))
        }
    }
}
