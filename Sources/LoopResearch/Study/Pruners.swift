/// Stops a trial whose intermediate value is worse than the median of other trials at the same
/// step (Optuna's `MedianPruner`): cheap and robust early stopping for hyperparameter searches.
public struct MedianPruner: Hashable, Sendable {
    /// Trials with a report at the step needed before anything is pruned.
    public var startupTrials: Int
    /// Steps before which no trial is pruned (early curves are noisy).
    public var warmupSteps: Int

    public init(startupTrials: Int = 4, warmupSteps: Int = 0) {
        self.startupTrials = startupTrials
        self.warmupSteps = warmupSteps
    }

    /// Whether a trial whose latest report is `value` at `step` should stop, given the values
    /// other trials reported at that step.
    public func shouldPrune(step: Int, value: Double, others: [Double], goal: Goal) -> Bool {
        if step < warmupSteps { return false }
        if !value.isFinite { return true }
        let peers = others.filter(\.isFinite).map(goal.objective).sorted()
        guard peers.count >= startupTrials, !peers.isEmpty else { return false }
        let mid = peers.count / 2
        let median = peers.count % 2 == 1 ? peers[mid] : (peers[mid - 1] + peers[mid]) / 2
        return goal.objective(value) > median
    }
}
