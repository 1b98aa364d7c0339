import Glibc
import LoopLang
import LoopTrain

/// The arguments of `train`, checked and defaulted. Defaults depend on the data (table or text)
/// and the optimiser, so they are resolved here rather than in the parameter list.
struct TrainOptions {
    var epochs: Int?
    var steps: Int?
    /// Seconds; nil means no limit.
    var budget: Double?
    /// Whether `budget` is the default (30s) rather than the caller's: a run it stops says so.
    var budgetIsDefault: Bool
    var batch: Int?
    var learningRate: Double?
    var optimizer: String
    var momentum: Double?
    var weightDecay: Double?
    var schedule: Value
    var warmup: Int?
    var clip: Double?
    var evalEvery: Int?
    var patience: Int?
    var seed: UInt64
    var progress: Bool

    /// `train`'s parameters, each declared once: the argument list, `:help train`, the static
    /// check of calls and the reads below all come from these.
    enum Parameters {
        static let model = Param.value("model", doc: "the Model to train, in place (from mlp, seq, gpt or load_model)")
        static let data = Param.value("data", doc: "a Dataset, or a split record {train, val} (val is then used for the curve)")
        static let val = Param.optional("val", doc: "validation data for the curve, early stopping and pruning")
        static let epochs = Param.optionalInt("epochs", doc: "passes over the data (default 10 for tables, 1 for text)")
        static let steps = Param.optionalInt("steps", doc: "optimiser steps; with epochs, whichever ends first")
        static let budget = Param.optionalSeconds("budget", default: 30, doc: "wall-clock limit (a Duration or seconds; nil for none); LOOPLAB_TRAIN_BUDGET changes the default")
        static let batch = Param.optionalInt("batch", doc: "rows (or text windows) per step (default 64 for tables, 32 for text)")
        static let lr = Param.optionalNumber("lr", doc: "base learning rate (default 1e-3 for Adam/AdamW, 0.01 for SGD)")
        static let optimizer = Param.string("optimizer", default: "adamw", doc: "adamw, adam, sgd, momentum or nesterov")
        static let momentum = Param.optionalNumber("momentum", doc: "SGD momentum in [0, 1) (default 0.9 for momentum and nesterov)")
        static let weightDecay = Param.optionalNumber("weight_decay", doc: "decoupled weight decay on weights (default 0.01 AdamW, 0.1 for a gpt, else 0)")
        static let schedule = Param.value("schedule", default: .string("constant"), doc: "constant, cosine, warmup_cosine, step, or a record {name, ...}")
        static let warmup = Param.optionalInt("warmup", doc: "warmup steps for warmup_cosine (default 5% of the run)")
        static let clip = Param.optionalNumber("clip", doc: "clip the global gradient norm to this")
        static let evalEvery = Param.optionalInt("eval_every", doc: "steps between curve points (default each epoch; a tenth of a text run)")
        static let patience = Param.optionalInt("patience", doc: "stop as early_stopped after this many curve points without improvement, restoring the best weights")
        static let seed = Param.int("seed", default: 0, doc: "shuffling and batch sampling")
        static let progress = Param.bool("progress", default: true, doc: "false silences the progress line and warnings")
        static let trial = Param.optional("trial", doc: "a study's Trial: each curve point is reported to it and its pruner may stop the run")

        static let list = NativeParameters.list(model, data, val, epochs, steps, budget, batch, lr, optimizer, momentum, weightDecay,
                                                schedule, warmup, clip, evalEvery, patience, seed, progress, trial)
    }

    static let optimizers = ["adamw", "adam", "sgd", "momentum", "nesterov"]

    /// `budget:` when the caller gives none: `LOOPLAB_TRAIN_BUDGET` (`90s`, `5m`, `1h`, or
    /// seconds) if set and valid, else 30 seconds. Read once per process.
    static let defaultBudget: Double = {
        guard let raw = getenv("LOOPLAB_TRAIN_BUDGET").map({ String(cString: $0) }), !raw.isEmpty else { return 30 }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { raw.hasSuffix($0.0) && Double(raw.dropLast($0.0.count)) != nil }
        if let seconds = unit.flatMap({ u in Double(raw.dropLast(u.0.count)).map { $0 * u.1 } }) ?? Double(raw),
           seconds > 0, seconds.isFinite {
            return seconds
        }
        StandardError.line("train: warning: LOOPLAB_TRAIN_BUDGET=\(raw) is not a duration like 90s, 5m or 1h; using 30s")
        return 30
    }()
    static let schedules = ["constant", "cosine", "warmup_cosine", "step"]

    init(_ call: NativeCall) throws(LoopError) {
        typealias P = Parameters
        epochs = try call[P.epochs]
        steps = try call[P.steps]
        budgetIsDefault = !call.isGiven(P.budget)
        budget = budgetIsDefault ? TrainOptions.defaultBudget : try call[P.budget]
        batch = try call[P.batch]
        learningRate = try call[P.lr]
        optimizer = try call[P.optimizer]
        momentum = try call[P.momentum]
        weightDecay = try call[P.weightDecay]
        schedule = try call[P.schedule]
        warmup = try call[P.warmup]
        clip = try call[P.clip]
        evalEvery = try call[P.evalEvery]
        patience = try call[P.patience]
        seed = UInt64(truncatingIfNeeded: try call[P.seed])
        progress = call.isGiven(P.progress) ? try call[P.progress]
            : call.interpreter.attachment(ResearchContext.self)?.showsProgressByDefault ?? true

        guard Self.optimizers.contains(optimizer) else {
            throw trainError("train", "unknown optimizer '\(optimizer)' (known: \(Self.optimizers.joined(separator: ", ")))")
        }
        for (name, value) in [("epochs", epochs), ("steps", steps), ("batch", batch), ("eval_every", evalEvery)] {
            if let value, value < 1 { throw trainError("train", "\(name) must be at least 1, got \(value)") }
        }
        if let patience, patience < 1 { throw trainError("train", "patience must be at least 1, got \(patience)") }
        if let lr = learningRate, !(lr > 0 && lr.isFinite) { throw trainError("train", "lr must be a positive number, got \(lr)") }
        if let budget, !(budget > 0) { throw trainError("train", "budget must be positive, got \(budget)s") }
        if let clip, !(clip > 0) { throw trainError("train", "clip must be positive, got \(clip)") }
        if let wd = weightDecay, !(wd >= 0 && wd.isFinite) { throw trainError("train", "weight_decay must be a number >= 0, got \(wd)") }
        if let mu = momentum, !(mu >= 0 && mu < 1) { throw trainError("train", "momentum must be in [0, 1), got \(mu)") }
        if let warmup, warmup < 0 { throw trainError("train", "warmup must not be negative, got \(warmup)") }
    }

    /// The optimiser over `parameters`; `forText` picks the GPT recipe's defaults (AdamW β₂ 0.99,
    /// weight decay 0.1) as nanoGPT and the anchors use.
    func makeOptimizer(_ parameters: [ModelParameter], forText: Bool) -> any Optimizer {
        let sgd = optimizer == "sgd" || optimizer == "momentum" || optimizer == "nesterov"
        let lr = Float(learningRate ?? (sgd ? 0.01 : 1e-3))
        switch optimizer {
        case "adam":
            return Adam(parameters: parameters, learningRate: lr, beta2: forText ? 0.99 : 0.999, weightDecay: Float(weightDecay ?? 0))
        case "sgd", "momentum", "nesterov":
            let mu = Float(momentum ?? (optimizer == "sgd" ? 0 : 0.9))
            return SGD(parameters: parameters, learningRate: lr, momentum: mu, nesterov: optimizer == "nesterov" && mu > 0,
                       weightDecay: Float(weightDecay ?? 0))
        default:
            return Adam.adamW(parameters: parameters, learningRate: lr, beta2: forText ? 0.99 : 0.999,
                              weightDecay: Float(weightDecay ?? (forText ? 0.1 : 0.01)))
        }
    }

    /// The learning-rate schedule over `total` steps: a name, or a record such as
    /// `{name: "step", every: 100, gamma: 0.5}`.
    func makeSchedule(total: Int) throws(LoopError) -> LearningRateSchedule {
        var name: String
        var fields: [String: Value] = [:]
        switch schedule {
        case .string(let s): name = s
        case .record(let r):
            guard case .string(let s)? = r.fields["name"] else {
                throw trainError("train", "a schedule record needs a name, e.g. {name: \"step\", every: 100, gamma: 0.5}")
            }
            name = s
            for (k, v) in r.fields { fields[k] = v }
        default:
            throw trainError("train", "schedule must be a String or a record, got \(schedule.typeName)")
        }
        func number(_ key: String, _ fallback: Double) throws(LoopError) -> Double {
            guard let value = fields[key] else { return fallback }
            guard let x = value.number, x.isFinite else { throw trainError("train", "schedule \(key) must be a finite number, got \(Printer.repr(value))") }
            return x
        }
        /// A step count from a schedule field, clamped to 1...total (a Double beyond Int traps).
        func steps(_ key: String, _ fallback: Int) throws(LoopError) -> Int {
            let x = try number(key, Double(fallback))
            return x >= Double(total) ? max(1, total) : max(1, Int(x))
        }
        let minFactor = Float(try number("min", name == "warmup_cosine" ? 0.1 : 0))
        switch name {
        case "constant": return .constant
        case "cosine": return .cosine(totalSteps: total, minFactor: minFactor)
        case "warmup_cosine":
            return .warmupCosine(warmupSteps: try steps("warmup", warmup ?? max(1, total / 20)), totalSteps: total, minFactor: minFactor)
        case "step":
            return .step(every: try steps("every", max(1, total / 3)), gamma: Float(try number("gamma", 0.1)))
        default:
            throw trainError("train", "unknown schedule '\(name)' (known: \(Self.schedules.joined(separator: ", ")))")
        }
    }
}
