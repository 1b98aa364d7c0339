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

    init(store: Store) { self.store = store }

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
            strategy: declaration.strategy.rawValue, seed: Int(truncatingIfNeeded: declaration.seed), settings: settings)
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
        return trial
    }
}
