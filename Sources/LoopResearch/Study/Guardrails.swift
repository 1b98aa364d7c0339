/// The limits that stop a study, each reported as the study's stop reason.
///
/// Counting rules, chosen so that a resumed study stops where the uninterrupted one would have:
/// `maxTrials`, `patience`, `maxFailures` and `maxRepeatedError` look at every finished trial of
/// the study, across runs (stale trials do not count); `maxTime` is the wall time of this run.
public struct Guardrails: Hashable, Sendable {
    /// Finished trials after which the study stops. `nil`: no limit (a finite space still runs out).
    public var maxTrials: Int? = 100
    /// Seconds this run may take; checked before each new trial starts.
    public var maxTime: Double? = nil
    /// Finished trials in a row without improving the best value by more than `minDelta`.
    public var patience: Int? = nil
    /// How much better than the best a value must be to count as an improvement.
    public var minDelta: Double = 0
    /// Failed (or diverged) trials in a row.
    public var maxFailures: Int? = 5
    /// Failed trials in a row with the same error message: the loop keeps hitting one bug.
    public var maxRepeatedError: Int? = 3
    /// Proposals in a row within `duplicateTolerance` of a configuration already tried: the
    /// strategy is circling one point.
    public var maxNearDuplicates: Int? = 5
    /// Largest distance, in unit coordinates per parameter, at which two configurations count as
    /// near-duplicates (categorical values must match exactly).
    public var duplicateTolerance: Double = 1e-3
    /// Seconds one trial's loop body may run; a trial that runs longer is stopped and recorded
    /// `interrupted` ("trial budget: ..."), and the study goes on. Enforced by the host (LoopLab).
    public var trialBudget: Double? = nil

    public init(maxTrials: Int? = 100, maxTime: Double? = nil, patience: Int? = nil, minDelta: Double = 0,
                maxFailures: Int? = 5, maxRepeatedError: Int? = 3, maxNearDuplicates: Int? = 5,
                duplicateTolerance: Double = 1e-3, trialBudget: Double? = nil) {
        self.maxTrials = maxTrials
        self.maxTime = maxTime
        self.patience = patience
        self.minDelta = minDelta
        self.maxFailures = maxFailures
        self.maxRepeatedError = maxRepeatedError
        self.maxNearDuplicates = maxNearDuplicates
        self.duplicateTolerance = duplicateTolerance
        self.trialBudget = trialBudget
    }
}

/// Why a study stopped proposing. The raw value is what the store and `st.stop_reason` show.
public enum StopReason: String, Hashable, Sendable, CaseIterable {
    case maxTrials = "max_trials"
    case maxTime = "max_time"
    case patience
    case maxFailures = "max_failures"
    /// Loop detection: the same error ended trial after trial.
    case repeatedError = "repeated_error"
    /// Loop detection: the strategy kept proposing near-duplicates of tried configurations.
    case nearDuplicates = "near_duplicates"
    /// A finite space has no untried configuration left.
    case exhausted
}

extension Guardrails {
    /// The first guardrail that `trials` (any order) and `elapsed` seconds of this run trip, if any.
    /// Loop detection by repeated errors is checked before `maxFailures`, since it says more.
    ///
    /// Runs before every proposal, so it reads the trials in place, through indices: copying
    /// each trial (its configuration, metrics and error are reference-counted) made it the
    /// largest per-trial cost of a long study.
    public func stopReason(trials: [StudyTrial], goal: Goal, elapsed: Double) -> StopReason? {
        // The finished trials' indices in number order (a study keeps its trials in that order,
        // so the sort is only a check there).
        var finished: [Int] = []
        finished.reserveCapacity(trials.count)
        for i in trials.indices where trials[i].status.isFinished { finished.append(i) }
        if zip(finished, finished.dropFirst()).contains(where: { trials[$0].number > trials[$1].number }) {
            finished.sort { trials[$0].number < trials[$1].number }
        }
        if let maxTrials, finished.count >= maxTrials { return .maxTrials }
        if let maxTime, elapsed >= maxTime { return .maxTime }
        var failures = 0
        var sameError = 0
        let lastError = finished.last.flatMap { trials[$0].status.isFailure ? trials[$0].error : nil }
        for i in finished.reversed() {
            guard trials[i].status.isFailure else { break }
            if failures == sameError, lastError != nil, trials[i].error == lastError { sameError += 1 }
            failures += 1
        }
        if let maxRepeatedError, maxRepeatedError > 0, sameError >= maxRepeatedError { return .repeatedError }
        if let maxFailures, failures >= maxFailures { return .maxFailures }
        if let patience {
            var best: Double?
            var since = 0
            for i in finished {
                if trials[i].status == .complete, let value = trials[i].value, goal.improves(value, on: best, minDelta: best == nil ? 0 : minDelta) {
                    best = value
                    since = 0
                } else {
                    since += 1
                }
            }
            if since >= patience { return .patience }
        }
        return nil
    }

    /// Whether `config` lies within `duplicateTolerance` of one of `tried` in every parameter.
    public func isNearDuplicate(_ config: Config, of tried: [Config], in space: Space) -> Bool {
        isNearDuplicate(space.unitPoint(of: config), of: tried.map(space.unitPoint), in: space)
    }

    /// The same test on unit coordinates (`Space.unitPoint`), which a study caches per trial.
    public func isNearDuplicate(_ point: [Double?], of tried: [[Double?]], in space: Space) -> Bool {
        let numeric = space.parameters.map(\.distribution.isNumeric)
        return tried.contains { q in
            for i in numeric.indices {
                switch (point[i], q[i]) {
                case (nil, nil): continue
                case (let a?, let b?):
                    if numeric[i] ? abs(a - b) > duplicateTolerance : a != b { return false }
                default: return false
                }
            }
            return true
        }
    }
}
