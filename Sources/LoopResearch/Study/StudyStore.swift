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
    /// Records a new `running` trial numbered after the study's last.
    func startTrial(studyID: Int64, config: Config) throws -> StudyTrial
    /// Records a new `running` repeat of trial `repeatOf` (its `repeatIndex`-th).
    func startRepeat(studyID: Int64, config: Config, repeatOf: Int, repeatIndex: Int) throws -> StudyTrial
    /// Records a running (or stale) trial's outcome: its final status, metrics, value and error.
    func finishTrial(_ trial: StudyTrial) throws
    /// Records an intermediate value of a running trial (for pruning).
    func report(trialID: Int64, step: Int, value: Double) throws
    /// Records why the study stopped, or clears it with `nil`.
    func setStopReason(studyID: Int64, _ reason: String?) throws
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

    public func startTrial(studyID: Int64, config: Config) throws -> StudyTrial {
        let name = studies.first { $0.value.id == studyID }!.key
        let trial = StudyTrial(id: nextTrialID, number: studies[name]!.trials.count, config: config)
        nextTrialID += 1
        studies[name]!.trials.append(trial)
        return trial
    }

    public func startRepeat(studyID: Int64, config: Config, repeatOf: Int, repeatIndex: Int) throws -> StudyTrial {
        let started = try startTrial(studyID: studyID, config: config)
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

    public func setStopReason(studyID: Int64, _ reason: String?) throws { stopReasons[studyID] = reason }
}
