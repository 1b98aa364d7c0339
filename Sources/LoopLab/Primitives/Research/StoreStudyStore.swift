import LoopLang
import LoopResearch
import LoopStore
import LoopSupport

/// The SQLite store as a `StudyStore`: how a study in `.loop` persists its trials. Every call is
/// one transaction of `LoopStore`, so a killed process loses at most the trial it was running.
final class StoreStudyStore: StudyStore {
    let store: Store
    /// Filled in by `openStudy`: stored parameter values are read back against it.
    private var space: Space?

    /// What the store records as the strategy when it is not the declaration's (`agent`).
    private let strategyLabel: String?

    init(store: Store, strategyLabel: String? = nil) {
        self.store = store
        self.strategyLabel = strategyLabel
    }

    func openStudy(_ declaration: StudyDeclaration) throws -> (id: Int64, trials: [StudyTrial]) {
        // A space may grow between runs (a new parameter, a new choice, a wider range); removing or
        // narrowing would orphan recorded trials, so it is refused before anything is written.
        if let existing = try store.study(named: declaration.name), let old = SpaceJSON.decode(existing.space) {
            do { try declaration.space.checkGrowth(from: old) } catch { throw StudyError.incompatibleSpace(error) }
        }
        space = declaration.space
        let rails = declaration.guardrails
        // Kept under the names of `study`'s parameters, which read them back when it reopens.
        typealias P = StudyParameters
        let settings: JSONValue = .object([
            P.maxTrials.name: rails.maxTrials.map { .int($0) } ?? .null,
            P.maxTime.name: rails.maxTime.map { .number($0) } ?? .null,
            P.patience.name: rails.patience.map { .int($0) } ?? .null,
            P.minDelta.name: .number(rails.minDelta),
            P.maxFailures.name: rails.maxFailures.map { .int($0) } ?? .null,
            P.maxRepeatedError.name: rails.maxRepeatedError.map { .int($0) } ?? .null,
            P.maxNearDuplicates.name: rails.maxNearDuplicates.map { .int($0) } ?? .null,
            P.trialBudget.name: rails.trialBudget.map { .number($0) } ?? .null,
            P.repeats.name: .int(declaration.repeats),
            P.finalists.name: declaration.finalists.map { .int($0) } ?? .null,
            P.allowRepeat.name: .bool(declaration.allowRepeat),
        ])
        let spec = StudySpec(
            name: declaration.name, space: SpaceJSON.encode(declaration.space), goalMetric: declaration.goal.metric,
            goalDirection: declaration.goal.direction == .maximize ? .maximize : .minimize,
            strategy: strategyLabel ?? declaration.strategy.rawValue, seed: Int(truncatingIfNeeded: declaration.seed), settings: settings)
        let study = try store.openStudy(spec)
        return (study.id, try store.trials(studyID: study.id).map(convert))
    }

    func trials(studyID: Int64, fromNumber number: Int) throws -> [StudyTrial] {
        try store.trials(studyID: studyID, fromNumber: number).map(convert)
    }

    func claimTrial(studyID: Int64, config: Config, maxTrials: Int?, allowRepeat: Bool) throws -> LoopResearch.TrialClaim {
        switch try store.claimTrial(studyID: studyID, params: ResearchValues.jsonParams(config),
                                    maxTrials: maxTrials, allowRepeat: allowRepeat) {
        case .started(let trial): return .started(convert(trial))
        case .limitReached: return .limitReached
        // Both mean the study changed under this process: catch up, then propose again (a
        // stale configuration first).
        case .taken, .orphansFound: return .taken
        }
    }

    func startRepeat(studyID: Int64, config: Config, repeatOf: Int, repeatIndex: Int) throws -> StudyTrial {
        convert(try store.startTrial(studyID: studyID, params: ResearchValues.jsonParams(config),
                                     repeatOf: repeatOf, repeatIndex: repeatIndex))
    }

    func finishTrial(_ trial: StudyTrial) throws {
        try store.finishTrial(id: trial.id, state: TrialState(rawValue: trial.status.rawValue) ?? .failed,
                              metrics: trial.metrics, integerMetrics: trial.integerMetrics, value: trial.value, error: trial.error)
    }

    func report(trialID: Int64, step: Int, value: Double) throws {
        try store.report(trialID: trialID, step: step, value: value)
    }

    func reports(trialIDs: [Int64]) throws -> [Int64: [Int: Double]] {
        var byTrial: [Int64: [Int: Double]] = [:]
        for r in try store.reports(trialIDs: trialIDs) { if let v = r.value { byTrial[r.trialID, default: [:]][r.step] = v } }
        return byTrial
    }

    func setStopReason(studyID: Int64, _ reason: String?) throws {
        try store.setStopReason(studyID: studyID, reason)
    }

    private func convert(_ t: Trial) -> StudyTrial {
        let config = space.map { ResearchValues.config(fromJSON: t.params, space: $0) }
            ?? Config(t.params.compactMapValues { ResearchValues.parameterValue($0, for: nil) })
        var trial = StudyTrial(id: t.id, number: t.number, config: config,
                               status: TrialStatus(rawValue: t.state.rawValue) ?? .failed,
                               metrics: t.metrics, value: t.value, error: t.error,
                               repeatOf: t.repeatOf, repeatIndex: t.repeatIndex)
        trial.integerMetrics = t.integerMetrics
        trial.seconds = t.finishedAt.map { $0.timeIntervalSince(t.startedAt) }
        return trial
    }
}

extension StoreStudyStore {
    /// The declaration a stored study was last opened with, read back from what `openStudy`
    /// wrote: for clients that reopen a study by name alone (`looplab mcp`). Settings missing
    /// from the row take their defaults; nil when the space is not one Looplab wrote.
    static func declaration(of study: LoopStore.Study) -> StudyDeclaration? {
        guard let space = SpaceJSON.decode(study.space) else { return nil }
        let settings = study.settings.objectValue ?? [:]
        typealias P = StudyParameters
        func count(_ p: Param<Int?>, _ fallback: Int?) -> Int? {
            guard let value = settings[p.name] else { return fallback }
            return value.intValue  // null: no limit
        }
        let defaults = Guardrails()
        var rails = defaults
        rails.maxTrials = count(P.maxTrials, defaults.maxTrials)
        rails.patience = count(P.patience, defaults.patience)
        rails.maxFailures = count(P.maxFailures, defaults.maxFailures)
        rails.maxRepeatedError = count(P.maxRepeatedError, defaults.maxRepeatedError)
        rails.maxNearDuplicates = count(P.maxNearDuplicates, defaults.maxNearDuplicates)
        rails.maxTime = settings[P.maxTime.name]?.doubleValue
        rails.minDelta = settings[P.minDelta.name]?.doubleValue ?? 0
        rails.trialBudget = settings[P.trialBudget.name]?.doubleValue
        let goal = Goal(study.goalDirection == .maximize ? .maximize : .minimize, study.goalMetric ?? "loss")
        var declaration = StudyDeclaration(name: study.name, space: space, goal: goal, strategy: Strategy(rawValue: study.strategy) ?? .default,
                                           seed: UInt64(bitPattern: Int64(study.seed ?? 0)), guardrails: rails)
        declaration.repeats = settings[P.repeats.name]?.intValue ?? 0
        declaration.finalists = settings[P.finalists.name]?.intValue
        if case .bool(let allow)? = settings[P.allowRepeat.name] { declaration.allowRepeat = allow }
        return declaration
    }
}
