import LoopSupport

/// How a training run ended; its raw value is what the language's `run.status` says.
public enum TrainingStatus: String, Sendable {
    case completed
    /// The loss became NaN or infinite; the model holds the last parameters (a result, not a crash).
    case diverged
    /// The time budget ran out.
    case budget
    /// No improvement for `patience` curve points; the best weights were restored.
    case earlyStopped = "early_stopped"
    /// A pruner (a study's) stopped the run.
    case pruned
    /// The user (Ctrl-C, SIGTERM) or a deadline stopped it.
    case interrupted
}

/// One optimisation step's record.
public struct StepRecord: Sendable {
    public var step: Int
    public var epoch: Int
    /// The batch loss (NaN or infinite for the step that diverged).
    public var loss: Double
    public var learningRate: Float

    public init(step: Int, epoch: Int, loss: Double, learningRate: Float) {
        self.step = step
        self.epoch = epoch
        self.loss = loss
        self.learningRate = learningRate
    }
}

/// The outcome of `train`.
public struct TrainingHistory: Sendable {
    public var status: TrainingStatus
    public var steps: [StepRecord]
    /// Training examples processed.
    public var examples: Int
    /// Wall-clock seconds spent in `train`.
    public var seconds: Double
    /// Examples per second.
    public var throughput: Double { seconds > 0 ? Double(examples) / seconds : 0 }
}

/// One optimisation step on one batch: zero gradients, forward, loss, backward, optional clipping,
/// update. Returns the batch loss; when it is not finite the update is skipped (the caller decides
/// that the run diverged).
public func trainingStep(_ model: any Layer, inputs: Tensor, targets: Tensor, loss: Loss, optimizer: any Optimizer,
                         clipNorm: Float? = nil) -> Double {
    optimizer.zeroGradients()
    let output = model.forward(inputs, training: true)
    let (value, gradient) = loss.evaluate(output: output, target: targets)
    guard value.isFinite else { return value }
    model.backwardParameters(gradient)
    if let clipNorm { clipGradientNorm(optimizer.parameters, maxNorm: clipNorm) }
    optimizer.step()
    return value
}

/// Mini-batch training on a dataset: for each epoch, shuffle (seeded), and for each batch set the
/// scheduled learning rate and take a `trainingStep`.
///
/// - Parameters:
///   - maxSteps: stop (as `.completed`) after this many steps even if epochs remain.
///   - onStep: called after every step; return nil to go on, or the status to stop with.
/// - Returns: per-step losses and the run's status. Same seed ⇒ identical run, for any thread count.
public func train(
    _ model: any Layer, on data: Dataset, loss: Loss, optimizer: any Optimizer, epochs: Int, batchSize: Int,
    maxSteps: Int? = nil, schedule: LearningRateSchedule = .constant, clipNorm: Float? = nil, seed: UInt64,
    onStep: (StepRecord) -> TrainingStatus? = { _ in nil }
) -> TrainingHistory {
    var rng: SeededRandom? = SeededRandom(seed: seed)
    var pending: [(features: Tensor, targets: Tensor)] = []
    var epoch = -1
    let (byEpochs, overflow) = epochs.multipliedReportingOverflow(by: (data.count + batchSize - 1) / batchSize)
    let limit = min(maxSteps ?? .max, overflow ? .max : byEpochs)
    return runSteps(model, loss: loss, optimizer: optimizer, steps: limit, schedule: schedule, clipNorm: clipNorm,
                    onStep: onStep) {
        if pending.isEmpty {
            pending = data.batches(size: batchSize, shuffle: &rng).reversed()
            epoch += 1
        }
        let batch = pending.removeLast()
        return (batch.features, batch.targets, epoch)
    }
}

/// Language-model training on random windows of `text.train` (nanoGPT's sampling): `steps` steps
/// of `batchSize` windows of `model.settings.context` tokens.
public func train(
    _ model: GPT, on text: TextData, optimizer: any Optimizer, steps: Int, batchSize: Int,
    schedule: LearningRateSchedule = .constant, clipNorm: Float? = nil, seed: UInt64,
    onStep: (StepRecord) -> TrainingStatus? = { _ in nil }
) -> TrainingHistory {
    var rng = SeededRandom(seed: seed)
    let perEpoch = max(1, text.train.count / (batchSize * model.settings.context))
    var step = 0
    return runSteps(model, loss: .softmaxCrossEntropy, optimizer: optimizer, steps: steps, schedule: schedule,
                    clipNorm: clipNorm, onStep: onStep) {
        let (x, y) = TextData.randomBatch(from: text.train, batch: batchSize, context: model.settings.context, rng: &rng)
        step += 1
        return (x, y, (step - 1) / perEpoch)
    }
}

/// The shared loop: `steps` calls of `nextBatch`, each followed by one scheduled `trainingStep`.
func runSteps(
    _ model: any Layer, loss: Loss, optimizer: any Optimizer, steps: Int, schedule: LearningRateSchedule,
    clipNorm: Float?, onStep: (StepRecord) -> TrainingStatus?, nextBatch: () -> (Tensor, Tensor, Int)
) -> TrainingHistory {
    let start = Monotonic.seconds()
    let baseRate = optimizer.learningRate
    defer { optimizer.learningRate = baseRate }
    var records: [StepRecord] = []
    var examples = 0
    var status = TrainingStatus.completed
    for step in 0..<max(steps, 0) {
        let (x, y, epoch) = nextBatch()
        let rate = schedule.rate(base: baseRate, step: step)
        optimizer.learningRate = rate
        let value = trainingStep(model, inputs: x, targets: y, loss: loss, optimizer: optimizer, clipNorm: clipNorm)
        let record = StepRecord(step: step, epoch: epoch, loss: value, learningRate: rate)
        records.append(record)
        if !value.isFinite { status = .diverged; break }
        examples += y.rows
        if let stop = onStep(record) { status = stop; break }
    }
    return TrainingHistory(status: status, steps: records, examples: examples,
                           seconds: Monotonic.seconds() - start)
}

/// Metrics of a model on a dataset, computed in inference mode in batches.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    /// Classification only.
    public var accuracy: Double?
    /// Regression only.
    public var meanSquaredError: Double?
    /// Regression only.
    public var r2: Double?
}

/// Evaluates `model` on `data` (batched forward passes, `training: false`).
public func evaluate(_ model: any Layer, on data: Dataset, loss: Loss, batchSize: Int = 1024) -> Evaluation {
    var none: SeededRandom? = nil
    var outputs: [Float] = []
    for (x, _) in data.batches(size: batchSize, shuffle: &none) {
        outputs += model.forward(x, training: false).scalars
    }
    let width = data.count > 0 ? outputs.count / data.count : 0
    let output = Tensor(shape: [data.count, width], values: outputs)
    let value = data.count > 0 ? loss.evaluate(output: output, target: data.targets).loss : 0
    if data.task == .regression {
        return Evaluation(loss: value, accuracy: nil, meanSquaredError: Metrics.meanSquaredError(output: output, target: data.targets),
                          r2: Metrics.r2(output: output, target: data.targets))
    }
    return Evaluation(loss: value, accuracy: Metrics.accuracy(output: output, labels: data.targets), meanSquaredError: nil, r2: nil)
}
