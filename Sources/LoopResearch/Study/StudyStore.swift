/// Everything a study declares about itself, what a `StudyStore` keeps so a rerun can reopen it.
public struct StudyDeclaration: Sendable {
    public var name: String
    public var space: Space
    public var goal: Goal
    public var strategy: Strategy
    public var seed: UInt64
    public var guardrails: Guardrails
    /// After a guardrail stops the study, each finalist's configuration runs this many more
    /// times with new seeds, and `best` ranks finalists by their mean (0: no repeats).
    public var repeats: Int
    /// How many of the best configurations are finalists (nil: `repeats`).
    public var finalists: Int?
    /// Whether the sampler may propose a configuration that was already tried.
    public var allowRepeat: Bool

    public init(name: String, space: Space, goal: Goal, strategy: Strategy = .default, seed: UInt64 = 0,
                guardrails: Guardrails = Guardrails(), repeats: Int = 0, finalists: Int? = nil, allowRepeat: Bool = false) {
        self.name = name
        self.space = space
        self.goal = goal
        self.strategy = strategy
        self.seed = seed
        self.guardrails = guardrails
        self.repeats = repeats
        self.finalists = finalists
        self.allowRepeat = allowRepeat
    }
}

/// Where a study keeps its trials. `LoopLab` satisfies it with the SQLite store; tests and
/// benchmarks use `InMemoryStudyStore`. Every method is one durable write or read: a study calls
/// them as trials start and finish, so a killed process loses at most the trial in flight.
public protocol StudyStore: AnyObject {
    /// Creates the study or reopens the one with this name, returning its id and every trial it
    /// has, trials orphaned by a dead process already marked `stale`.
    func openStudy(_ declaration: StudyDeclaration) throws -> (id: Int64, trials: [StudyTrial])
    /// The study's trials numbered `number` and above (what other processes may have added or
    /// finished since this one last looked).
    func trials(studyID: Int64, fromNumber number: Int) throws -> [StudyTrial]
    /// Records a new `running` trial numbered after the study's last, in one transaction that
    /// first checks the study's limits, so that several processes sharing the study neither
    /// overshoot `maxTrials` nor run one configuration twice:
    /// - `.limitReached` when the study already has `maxTrials` trials that are not stale and not
    ///   repeats (running ones count: they will finish);
    /// - `.taken` when `allowRepeat` is false and a trial that is not stale has this exact
    ///   configuration (another process claimed it first);
    /// - `.started(trial)` otherwise.
    func claimTrial(studyID: Int64, config: Config, maxTrials: Int?, allowRepeat: Bool) throws -> TrialClaim
    /// Records a new `running` repeat of trial `repeatOf` (its `repeatIndex`-th).
    func startRepeat(studyID: Int64, config: Config, repeatOf: Int, repeatIndex: Int) throws -> StudyTrial
    /// Records a running (or stale) trial's outcome: its final status, metrics, value and error.
    func finishTrial(_ trial: StudyTrial) throws
    /// Records an intermediate value of a running trial (for pruning).
    func report(trialID: Int64, step: Int, value: Double) throws
    /// The intermediate values these trials reported, by trial id then step (what a pruner
    /// compares a running trial with, whichever process reported them).
    func reports(trialIDs: [Int64]) throws -> [Int64: [Int: Double]]
    /// Records why the study stopped, or clears it with `nil`.
    func setStopReason(studyID: Int64, _ reason: String?) throws
}

/// What `StudyStore.claimTrial` did.
public enum TrialClaim: Sendable {
    /// The trial was recorded as running.
    case started(StudyTrial)
    /// The study already has `maxTrials` trials (finished or running).
    case limitReached
    /// Another trial already has the configuration.
    case taken
}

/// A `StudyStore` that lives as long as the object: for tests, benchmarks and throwaway studies.
public final class InMemoryStudyStore: StudyStore {
    public private(set) var studies: [String: (id: Int64, trials: [StudyTrial])] = [:]
    public private(set) var stopReasons: [Int64: String] = [:]
    public private(set) var reports: [Int64: [Int: Double]] = [:]
    private var nextTrialID: Int64 = 1

    public init() {}

    /// Marks every running trial stale, as reopening after a crash would.
    public func simulateCrash() {
        for (name, study) in studies {
            studies[name]!.trials = study.trials.map { t in
                var t = t
                if t.status == .running { t.status = .stale; t.error = "stale: process ended" }
                return t
            }
        }
    }

    public func openStudy(_ declaration: StudyDeclaration) throws -> (id: Int64, trials: [StudyTrial]) {
        if let existing = studies[declaration.name] { return existing }
        let study = (id: Int64(studies.count + 1), trials: [StudyTrial]())
        studies[declaration.name] = study
        return study
    }

    public func trials(studyID: Int64, fromNumber number: Int) throws -> [StudyTrial] {
        studies.values.first { $0.id == studyID }?.trials.filter { $0.number >= number } ?? []
    }

    public func claimTrial(studyID: Int64, config: Config, maxTrials: Int?, allowRepeat: Bool) throws -> TrialClaim {
        let name = studies.first { $0.value.id == studyID }!.key
        let live = studies[name]!.trials.filter { $0.status != .stale }
        if let maxTrials, live.filter({ !$0.isRepeat }).count >= maxTrials { return .limitReached }
        if !allowRepeat, live.contains(where: { $0.config == config }) { return .taken }
        return .started(append(config, to: name))
    }

    private func append(_ config: Config, to name: String) -> StudyTrial {
        let trial = StudyTrial(id: nextTrialID, number: studies[name]!.trials.count, config: config)
        nextTrialID += 1
        studies[name]!.trials.append(trial)
        return trial
    }

    public func startRepeat(studyID: Int64, config: Config, repeatOf: Int, repeatIndex: Int) throws -> StudyTrial {
        let started = append(config, to: studies.first { $0.value.id == studyID }!.key)
        var trial = started
        trial.repeatOf = repeatOf
        trial.repeatIndex = repeatIndex
        try finishTrial(trial)
        return trial
    }

    public func finishTrial(_ trial: StudyTrial) throws {
        for (name, study) in studies {
            if let i = study.trials.firstIndex(where: { $0.id == trial.id }) { studies[name]!.trials[i] = trial }
        }
    }

    public func report(trialID: Int64, step: Int, value: Double) throws {
        reports[trialID, default: [:]][step] = value
    }

    public func reports(trialIDs: [Int64]) throws -> [Int64: [Int: Double]] {
        reports.filter { trialIDs.contains($0.key) }
    }

    public func setStopReason(studyID: Int64, _ reason: String?) throws { stopReasons[studyID] = reason }
}
