/// Decides whether a trial should stop early from its latest intermediate value and the values
/// other trials reported at the same step.
public protocol Pruner: Sendable {
    /// Which trials' reports count as `others`.
    var peers: PrunerPeers { get }
    func shouldPrune(step: Int, value: Double, others: [Double], goal: Goal) -> Bool
}

/// The trials a pruner compares a running trial with, as Optuna's pruners do.
public enum PrunerPeers: Sendable {
    /// Trials that completed (the median rule: a pruned trial's curve says nothing of a good one).
    case complete
    /// Every other trial that reported at the step (successive halving ranks all of them at a rung).
    case all
}

/// Stops a trial whose intermediate value is worse than the median of completed trials at the
/// same step (Optuna's `MedianPruner`): cheap and robust early stopping for hyperparameter searches.
public struct MedianPruner: Pruner, Hashable {
    public var peers: PrunerPeers { .complete }
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

/// Never stops a trial early (`pruner: "none"`).
public struct NoPruner: Pruner, Hashable {
    public var peers: PrunerPeers { .complete }
    public init() {}
    public func shouldPrune(step: Int, value: Double, others: [Double], goal: Goal) -> Bool { false }
}

/// Asynchronous successive halving (ASHA, as Optuna's `SuccessiveHalvingPruner`): trials are
/// judged at rungs, steps `minResource * reductionFactor^k`; at a rung a trial goes on only if its
/// value is among the best `1/reductionFactor` of the values reported at that step so far
/// (itself included). Between rungs nothing is pruned. Aggressive where the median is lenient:
/// most of the budget goes to the most promising trials.
public struct SuccessiveHalvingPruner: Pruner, Hashable {
    public var peers: PrunerPeers { .all }
    public var minResource: Int
    public var reductionFactor: Int

    public init(minResource: Int = 1, reductionFactor: Int = 3) {
        self.minResource = max(minResource, 1)
        self.reductionFactor = max(reductionFactor, 2)
    }

    /// Whether `step` is a rung.
    public func isRung(_ step: Int) -> Bool {
        var rung = minResource
        while rung < step {
            let (next, overflow) = rung.multipliedReportingOverflow(by: reductionFactor)
            if overflow { return false }
            rung = next
        }
        return rung == step
    }

    public func shouldPrune(step: Int, value: Double, others: [Double], goal: Goal) -> Bool {
        if !value.isFinite { return true }
        guard isRung(step) else { return false }
        let all = (others.filter(\.isFinite) + [value]).map(goal.objective).sorted()
        let keep = max(1, all.count / reductionFactor)
        return goal.objective(value) > all[keep - 1]
    }
}
