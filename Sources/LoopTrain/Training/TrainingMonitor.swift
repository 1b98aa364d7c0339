import LoopSupport

/// How many steps a run takes and when it records a curve point.
public struct TrainingPlan: Sendable, Equatable {
    public let stepsPerEpoch: Int
    public let totalSteps: Int
    /// Steps between curve points (the last step always gets one).
    public let pointEvery: Int

    /// - Parameters:
    ///   - epochs, steps: what the caller asked for; with both, whichever ends first. Saturates
    ///     at Int.max (`epochs: Int.max` with a budget runs until the budget ends).
    ///   - pointEvery: steps between curve points; nil: one per epoch, or `defaultPoints` over
    ///     the run when given (a text run has no natural epoch).
    public init(stepsPerEpoch: Int, epochs: Int?, steps: Int?, defaultEpochs: Int, pointEvery: Int?, defaultPoints: Int? = nil) {
        let perEpoch = max(1, stepsPerEpoch)
        let (byEpochs, overflow) = (epochs ?? defaultEpochs).multipliedReportingOverflow(by: perEpoch)
        let fromEpochs = overflow ? Int.max : byEpochs
        let total = steps.map { epochs == nil ? $0 : min($0, fromEpochs) } ?? fromEpochs
        self.stepsPerEpoch = perEpoch
        self.totalSteps = total
        self.pointEvery = max(1, pointEvery ?? defaultPoints.map { total / max(1, $0) } ?? perEpoch)
    }

    /// Epochs the data loader must be able to serve for `totalSteps`.
    public var epochs: Int { totalSteps / stepsPerEpoch + (totalSteps % stepsPerEpoch == 0 ? 0 : 1) }

    func isPointDue(afterStep done: Int) -> Bool { done % pointEvery == 0 || done == totalSteps }
}

/// The policy of one training run around the optimiser's steps: the plan, the time budget,
/// early stopping with best-weight restore, the training loss averaged between curve points, and
/// throughput net of evaluation time. The caller adds what only it knows: the curve's records,
/// validation metrics, progress lines, interrupts, a study's pruner.
///
/// Use: `recordStep` after every step (it says when a point is due); at a point,
/// `takeTrainingLoss`, `evaluating { ... }` around validation, then `judge(monitored:)`; stop
/// with the first status any of them gives, and end with `finish(_:)`.
public final class TrainingMonitor {
    public let plan: TrainingPlan
    /// Seconds of wall-clock time the run may take; nil: no limit.
    public let budget: Double?
    /// Curve points without improvement before the run stops early; nil: never.
    public let patience: Int?
    private let parameters: [ModelParameter]
    private let start = Monotonic.seconds()

    /// Steps taken so far.
    public private(set) var stepsDone = 0
    /// The first step's loss, against which the end of a run is judged.
    public private(set) var initialLoss: Double?
    /// The step of the last curve point (0 before the first).
    public private(set) var lastPointStep = 0
    private var examples = 0
    private var evaluationSeconds = 0.0
    private var lossSum = 0.0
    private var lossCount = 0
    private var bestLoss = Double.infinity
    private var bestWeights: [Tensor]?
    private var sinceBest = 0

    public init(plan: TrainingPlan, budget: Double?, patience: Int?, parameters: [ModelParameter]) {
        self.plan = plan
        self.budget = budget
        self.patience = patience
        self.parameters = parameters
    }

    /// Counts a step that processed `examples` rows (or tokens); returns whether a curve point
    /// is due after it.
    public func recordStep(_ record: StepRecord, examples: Int) -> Bool {
        stepsDone = record.step + 1
        if initialLoss == nil { initialLoss = record.loss }
        self.examples += examples
        lossSum += record.loss
        lossCount += 1
        return plan.isPointDue(afterStep: stepsDone)
    }

    /// The mean training loss since the last curve point (`fallback`, the step's own, when no
    /// step was counted), starting the next interval.
    public func takeTrainingLoss(fallback: Double) -> Double {
        let mean = lossCount > 0 ? lossSum / Double(lossCount) : fallback
        lossSum = 0
        lossCount = 0
        lastPointStep = stepsDone
        return mean
    }

    /// Whether a step was counted since the last curve point (the run's end then adds one).
    public var pointIsPending: Bool { lastPointStep < stepsDone }

    /// Runs an evaluation whose time is left out of the throughput.
    public func evaluating<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let t0 = Monotonic.seconds()
        defer { evaluationSeconds += Monotonic.seconds() - t0 }
        return try body()
    }

    /// Early stopping: judges a curve point by the loss it watches (validation loss when there
    /// is validation data, else the training loss). Keeps the best weights; `.earlyStopped`
    /// once `patience` points passed without improvement.
    public func judge(monitored: Double) -> TrainingStatus? {
        guard let patience else { return nil }
        if monitored < bestLoss {
            bestLoss = monitored
            bestWeights = parameters.map(\.value)
            sinceBest = 0
            return nil
        }
        sinceBest += 1
        return sinceBest < patience ? nil : .earlyStopped
    }

    /// Whether the time budget has run out.
    public var budgetExhausted: Bool {
        guard let budget else { return false }
        return elapsed >= budget
    }

    /// Seconds since the monitor was made.
    public var elapsed: Double { Monotonic.seconds() - start }

    /// Examples (or tokens) per second of training, evaluation time excluded.
    public var throughput: Double {
        let seconds = elapsed - evaluationSeconds
        return seconds > 0 ? Double(examples) / seconds : 0
    }

    /// Ends the run: a run stopped early gets its best weights back.
    public func finish(_ status: TrainingStatus) {
        guard status == .earlyStopped, let bestWeights else { return }
        for (parameter, value) in zip(parameters, bestWeights) { parameter.value = value }
    }
}
