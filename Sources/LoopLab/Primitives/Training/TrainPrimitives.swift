import Glibc
import LoopLang
import LoopSupport
import LoopTrain

/// `train(model, data, ...)`: runs LoopTrain's training loop with a budget, periodic evaluation,
/// early stopping, progress and Ctrl-C, and returns a Run handle.
///
/// The model is trained in place (`run.model` is the handle that was passed in). How a run ends is
/// a result, not an error: `completed`, `budget` (time ran out), `early_stopped` (no validation
/// improvement for `patience` evaluations; the best weights are restored), `diverged` (the loss
/// became NaN or infinite), `pruned` (with `trial: t`, the study's pruner stopped it) or
/// `interrupted` (Ctrl-C). Ctrl-C is not consumed: `train` returns its Run, and the code that
/// called it stops at its next step, as after any Ctrl-C (one press ends a REPL cell's loop of
/// `train` calls, and a script exits 130).
enum TrainPrimitives {
    static func register(into registry: Registry) {
        registry.function(
            "train", TrainOptions.Parameters.list,
            doc: "Trains a model in place on a Dataset or a split {train, val}; returns a Run (run.model, run.status, run.curve, run.steps, run.time, run.throughput, run.warnings). trial: t reports each curve point to a study's trial and lets its pruner stop the run."
        ) { call throws(LoopError) in
            try train(call)
        }
    }

    static func train(_ call: NativeCall) throws(LoopError) -> Value {
        typealias P = TrainOptions.Parameters
        let modelValue = try call[P.model]
        let model = try TrainingArguments.model(modelValue, function: "train", parameter: P.model.name)
        var trainValue = try call[P.data]
        var valValue = try call[P.val]
        if case .record(let r) = trainValue {
            guard let t = r.fields["train"] else {
                throw trainError("train", "data must be a Dataset or a split record with a train field, got a record without one")
            }
            if case .nil = valValue, let v = r.fields["val"] { valValue = v }
            trainValue = t
        }
        let data = try TrainingArguments.dataset(trainValue, function: "train", parameter: "data")
        var validation: DataBox?
        if case .nil = valValue {} else {
            let v = try TrainingArguments.dataset(valValue, function: "train", parameter: "val")
            if v.count > 0 { validation = v }
        }
        let options = try TrainOptions(call)
        try EvalPrimitives.checkFits(model, data, function: "train")
        if let validation { try EvalPrimitives.checkFits(model, validation, function: "train") }
        let observer = try TrialReporter.make(try call[P.trial], fields: TrainingLoop.curveFields(validation: validation))

        let loop = TrainingLoop(model: model, validation: validation, options: options, observer: observer)
        let run: RunBox
        switch data.content {
        case .table(let d):
            run = try loop.runTable(d, modelValue: modelValue)
            if model.standardizer == nil { model.standardizer = data.standardizer }
        case .text(let tokens, let vocabulary):
            if model.vocabulary == nil { model.vocabulary = vocabulary }
            run = try loop.runText(tokens, vocabulary: vocabulary, modelValue: modelValue)
        }
        return .handle(Handle(TrainingTypes.run, run))
    }
}

/// One call of `train`: LoopTrain's `TrainingMonitor` keeps the run's policy (plan, budget,
/// early stopping, throughput); this adds what the language needs around it — the curve as
/// records, validation metrics, progress lines, Ctrl-C, a study's trial — and makes the Run.
final class TrainingLoop {
    let model: ModelBox
    let validation: DataBox?
    let options: TrainOptions
    let observer: (any TrainObserver)?
    private var curve: [Value] = []
    private var monitor: TrainingMonitor!
    /// Why the run was stopped from `afterStep` (nil: LoopTrain ended it).
    private var stopReason: TrainingStatus?
    /// An error the observer raised inside LoopTrain's step callback, thrown once the run ends.
    private var observerError: LoopError?

    init(model: ModelBox, validation: DataBox?, options: TrainOptions, observer: (any TrainObserver)?) {
        self.model = model
        self.validation = validation
        self.options = options
        self.observer = observer
    }

    private func makeMonitor(stepsPerEpoch: Int, defaultEpochs: Int, defaultPoints: Int?) -> TrainingMonitor {
        let plan = TrainingPlan(stepsPerEpoch: stepsPerEpoch, epochs: options.epochs, steps: options.steps, defaultEpochs: defaultEpochs,
                                pointEvery: options.evalEvery, defaultPoints: defaultPoints)
        let monitor = TrainingMonitor(plan: plan, budget: options.budget, patience: options.patience, parameters: model.layer.parameters)
        self.monitor = monitor
        return monitor
    }

    func runTable(_ data: Dataset, modelValue: Value) throws(LoopError) -> RunBox {
        guard data.count > 0 else { throw trainError("train", "the training data has no rows") }
        let batch = min(options.batch ?? 64, data.count)
        let perEpoch = (data.count + batch - 1) / batch
        let plan = makeMonitor(stepsPerEpoch: perEpoch, defaultEpochs: 10, defaultPoints: nil).plan
        let optimizer = options.makeOptimizer(model.layer.parameters, forText: false)
        let schedule = try options.makeSchedule(total: plan.totalSteps)
        let progress = TrainProgress(enabled: options.progress, total: plan.totalSteps, budget: options.budget, unit: "examples/s")
        let history = LoopTrain.train(
            model.layer, on: data, loss: EvalPrimitives.loss(for: model.layer, data), optimizer: optimizer, epochs: plan.epochs,
            batchSize: batch, maxSteps: plan.totalSteps, schedule: schedule, clipNorm: options.clip.map(Float.init), seed: options.seed
        ) { record in
            self.afterStep(record, batchRows: min(batch, data.count - (record.step % perEpoch) * batch), progress: progress)
        }
        return try finish(history, modelValue: modelValue, unit: "examples/s", progress: progress)
    }

    func runText(_ tokens: [Int], vocabulary: CharVocabulary, modelValue: Value) throws(LoopError) -> RunBox {
        let gpt = model.gpt!
        let batch = options.batch ?? 32
        let ctx = gpt.settings.context
        guard tokens.count > ctx else {
            throw trainError("train", "the training text has \(tokens.count) characters; the model's context (\(ctx)) needs more")
        }
        let (windows, overflow) = batch.multipliedReportingOverflow(by: ctx)
        // Each step holds a batch of windows through every layer: measure before allocating.
        let activations = Double(windows) * Double(gpt.settings.dimension) * Double(gpt.settings.layers + 1) * 24 * 4
            + Double(windows) * Double(gpt.settings.vocabulary) * 3 * 4
        if overflow { throw trainError("train", "batch \(batch) × context \(ctx) is too large") }
        if let exceeded = MemoryBudget.check(bytes: activations) {
            throw trainError("train", "a batch of \(batch) windows of \(ctx) characters \(exceeded.explanation); lower batch:")
        }
        let plan = makeMonitor(stepsPerEpoch: max(1, tokens.count / windows), defaultEpochs: 1, defaultPoints: 10).plan
        let optimizer = options.makeOptimizer(gpt.parameters, forText: true)
        let schedule = try options.makeSchedule(total: plan.totalSteps)
        let progress = TrainProgress(enabled: options.progress, total: plan.totalSteps, budget: options.budget, unit: "tokens/s")
        let text = TextData(vocabulary: vocabulary, train: tokens, validation: [])
        let history = LoopTrain.train(gpt, on: text, optimizer: optimizer, steps: plan.totalSteps, batchSize: batch, schedule: schedule,
                                      clipNorm: options.clip.map(Float.init), seed: options.seed) { record in
            self.afterStep(record, batchRows: windows, progress: progress)
        }
        return try finish(history, modelValue: modelValue, unit: "tokens/s", progress: progress)
    }

    /// Called by LoopTrain after every step; returns the status to stop with, or nil to go on.
    private func afterStep(_ record: StepRecord, batchRows: Int, progress: TrainProgress) -> TrainingStatus? {
        let pointDue = monitor.recordStep(record, examples: batchRows)
        progress.step(monitor.stepsDone, loss: record.loss, throughput: monitor.throughput)
        if pointDue, let stop = addPoint(record, progress: progress) { stopReason = stop }
        // Ctrl-C is left pending: the run ends here, and the code that called `train` stops at
        // its next step (a budget's deadline keeps raising until it is lifted).
        else if Interrupt.isRequested { stopReason = .interrupted }
        else if monitor.budgetExhausted { stopReason = .budget }
        return stopReason
    }

    /// A Float32 rate as the decimal it was written as (0.001, not 0.0010000000474974513).
    static func decimal(_ x: Float) -> Double { Double("\(x)") ?? Double(x) }

    /// Records a curve point (train loss since the last one, validation metrics); returns the
    /// status to stop with when patience has run out or the observer prunes the run.
    private func addPoint(_ record: StepRecord, progress: TrainProgress) -> TrainingStatus? {
        let trainingLoss = monitor.takeTrainingLoss(fallback: record.loss)
        var fields: [(String, Value)] = [
            ("step", .int(monitor.stepsDone)), ("epoch", .int(record.epoch + 1)),
            ("loss", .float(trainingLoss)), ("lr", .float(Self.decimal(record.learningRate))),
        ]
        var monitored = trainingLoss
        if let validation {
            let metrics = monitor.evaluating { EvalPrimitives.metrics(model, validation) }
            for (name, value) in metrics { fields.append(("val_\(name)", .float(value))) }
            monitored = metrics.first { $0.0 == "loss" }?.1 ?? monitored
        }
        fields.append(("time", .duration(monitor.elapsed)))
        curve.append(.record(pairs: fields))
        progress.evaluation(fields.compactMap { name, value in
            if name == "lr" || name == "time" { return nil }
            return switch value {
            case .int(let i): (name, .int(i))
            case .float(let f): (name, .number(f))
            default: nil
            }
        })
        if let observer {
            do throws(LoopError) {
                let final = monitor.stepsDone >= monitor.plan.totalSteps
                if let stop = try observer.observe(point: fields, index: curve.count, final: final) { return stop }
            } catch {
                observerError = error
                return .interrupted
            }
        }
        return monitor.judge(monitored: monitored)
    }

    private func finish(_ history: TrainingHistory, modelValue: Value, unit: String, progress: TrainProgress) throws(LoopError) -> RunBox {
        let status = history.status
        var steps = monitor.stepsDone
        if status == .diverged, let last = history.steps.last {
            // The diverged step never reached `afterStep`: its loss is the curve's last point.
            steps = last.step + 1
            curve.append(.record(pairs: [("step", .int(steps)), ("epoch", .int(last.epoch + 1)), ("loss", .float(last.loss)),
                                         ("lr", .float(Self.decimal(last.learningRate)))]))
        } else if monitor.pointIsPending, let last = history.steps.last {
            _ = addPoint(last, progress: progress)
        }
        monitor.finish(status)
        let run = RunBox(model: modelValue, status: status, curve: curve, steps: steps, seconds: monitor.elapsed,
                         throughput: monitor.throughput, unit: unit, warnings: warnings(status: status))
        progress.finish(run.summary)
        // With progress off the caller reads run.warnings itself (a range test blows the loss up
        // on purpose); the default budget is always said, since the caller may not know of it.
        if options.progress { for warning in run.warnings { StandardError.line("train: warning: " + warning) } }
        if status == .budget, options.budgetIsDefault, let budget = options.budget {
            // A default that changes results must be visible: the run did not do what was asked.
            let source = getenv("LOOPLAB_TRAIN_BUDGET") == nil ? "" : " (LOOPLAB_TRAIN_BUDGET)"
            StandardError.line("train: stopped by the default budget of \(NumberFormat.seconds(budget))\(source) after \(NumberFormat.grouped(steps)) of \(NumberFormat.grouped(monitor.plan.totalSteps)) steps; pass budget: 10m (or budget: nil) to train longer")
        }
        if let observerError { throw observerError }
        try observer?.ended(status: status, steps: steps)
        return run
    }

    /// What looks wrong although the run ended normally: a final training loss far above the
    /// first step's (a learning rate too high, a schedule that blew up).
    private func warnings(status: TrainingStatus) -> [String] {
        guard status != .diverged, let first = monitor.initialLoss, first.isFinite, let last = curve.last,
              case .record(let r) = last, let final = r.fields["loss"]?.number, final.isFinite else { return [] }
        guard final > 2 * first, final - first > 0.1 else { return [] }
        let rate = options.learningRate.map { " (\($0))" } ?? ""
        return ["the final training loss \(NumberFormat.short(final)) is far above the initial \(NumberFormat.short(first)): the learning rate\(rate) may be too high"]
    }
}
