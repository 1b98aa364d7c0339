/// How a training run ended.
public enum TrainingStatus: String, Sendable {
    case completed
    /// The loss became NaN or infinite; the model holds the last parameters (a result, not a crash).
    case diverged
    /// The `onStep` callback asked to stop (a budget, an interrupt, early stopping).
    case stopped
}

/// One optimisation step's record.
public struct StepRecord: Sendable {
    public var step: Int
    public var epoch: Int
    public var loss: Double
    public var learningRate: Float
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

/// Mini-batch training: for each epoch, shuffle (seeded), and for each batch: zero gradients,
/// forward, loss, backward, clip, set the scheduled learning rate, step.
///
/// - Parameters:
///   - onStep: called after every step; return `false` to stop (status `.stopped`).
/// - Returns: per-step losses and the run's status. Same seed and thread count ⇒ identical run.
public func train(
    _ model: any Layer, on data: Dataset, loss: Loss, optimizer: any Optimizer, epochs: Int, batchSize: Int,
    schedule: LearningRateSchedule = .constant, clipNorm: Float? = nil, seed: UInt64,
    onStep: (StepRecord) -> Bool = { _ in true }
) -> TrainingHistory {
    let start = GEMMBenchmark.monotonicSeconds()
    let baseRate = optimizer.learningRate
    var rng: Xoshiro256? = Xoshiro256(seed: seed)
    var records: [StepRecord] = []
    var examples = 0
    var status = TrainingStatus.completed
    var step = 0
    run: for epoch in 0..<epochs {
        for (x, y) in data.batches(size: batchSize, shuffle: &rng) {
            optimizer.zeroGradients()
            let output = model.forward(x, training: true)
            let (value, gradient) = loss.evaluate(output: output, target: y)
            let rate = schedule.rate(base: baseRate, step: step)
            let record = StepRecord(step: step, epoch: epoch, loss: value, learningRate: rate)
            records.append(record)
            if !value.isFinite { status = .diverged; break run }
            _ = model.backward(gradient)
            if let clipNorm { clipGradientNorm(optimizer.parameters, maxNorm: clipNorm) }
            optimizer.learningRate = rate
            optimizer.step()
            examples += y.rows
            step += 1
            if !onStep(record) { status = .stopped; break run }
        }
    }
    optimizer.learningRate = baseRate
    return TrainingHistory(status: status, steps: records, examples: examples,
                           seconds: GEMMBenchmark.monotonicSeconds() - start)
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
    var none: Xoshiro256? = nil
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
