import LoopLang
import LoopSupport
import LoopTrain

/// What a `Dataset` handle holds: a table of features and targets, or a tokenised text.
final class DataBox {
    enum Content {
        case table(Dataset)
        /// Token ids of a text and the vocabulary they index.
        case text(tokens: [Int], vocabulary: CharVocabulary)
    }

    let content: Content
    /// Where it came from, for printing (`digits.csv`, `spirals`, `split train`).
    let origin: String
    /// The standardiser applied to the features (fitted on a training split), kept so a saved
    /// model can carry it.
    let standardizer: Standardizer?
    /// The test part of a split: only `final_eval` may look at it (holdout discipline).
    let isHoldout: Bool

    init(_ content: Content, origin: String, standardizer: Standardizer? = nil, isHoldout: Bool = false) {
        self.content = content
        self.origin = origin
        self.standardizer = standardizer
        self.isHoldout = isHoldout
    }

    var count: Int {
        switch content {
        case .table(let d): d.count
        case .text(let tokens, _): tokens.count
        }
    }

    var summary: String {
        switch content {
        case .table(let d):
            let task = d.task == .regression ? "regression (\(d.outputCount) target\(d.outputCount == 1 ? "" : "s"))"
                : "\(d.task.classCount) classes"
            return "<Dataset \(origin): \(NumberFormat.grouped(d.count)) rows × \(d.featureCount) features, \(task)>"
        case .text(let tokens, let vocabulary):
            return "<Dataset \(origin): text of \(NumberFormat.grouped(tokens.count)) chars, vocab \(vocabulary.count)>"
        }
    }
}

/// A model handle: the layer stack and what it needs beyond its weights.
final class ModelBox {
    let layer: any Layer
    /// The character vocabulary of the text a GPT was trained on (nil until it has seen one).
    var vocabulary: CharVocabulary?
    /// The standardiser of the data it was trained on, saved with it.
    var standardizer: Standardizer?

    init(_ layer: any Layer, vocabulary: CharVocabulary? = nil) {
        self.layer = layer
        self.vocabulary = vocabulary
    }

    var gpt: GPT? { layer as? GPT }

    /// `mlp 64-256-256-10`, `seq linear(2,16) relu linear(16,3)`, `gpt vocab 27 ctx 32 ...`.
    var architecture: String {
        switch layer.config {
        case .gpt(let s):
            return "gpt vocab \(s.vocabulary) ctx \(s.context) dim \(s.dimension) layers \(s.layers) heads \(s.heads)"
        case .sequential(let configs):
            if let widths = Self.mlpWidths(configs) { return "mlp " + widths.map(String.init).joined(separator: "-") }
            return "seq " + configs.map(Self.describe).joined(separator: " ")
        case let other:
            return Self.describe(other)
        }
    }

    var summary: String { "<Model \(architecture), \(NumberFormat.grouped(layer.parameterCount)) params>" }

    /// The widths of a plain MLP (Linear, one activation, Linear, ...), or nil for anything else.
    static func mlpWidths(_ configs: [LayerConfig]) -> [Int]? {
        var widths: [Int] = []
        var i = 0
        while i < configs.count {
            guard case let .linear(inputs, outputs, _) = configs[i], widths.isEmpty || widths.last == inputs else { return nil }
            if widths.isEmpty { widths.append(inputs) }
            widths.append(outputs)
            i += 1
            if i == configs.count { break }
            switch configs[i] {
            case .relu, .gelu, .tanh, .sigmoid: i += 1
            default: return nil
            }
            if i < configs.count, case .dropout = configs[i] { i += 1 }
            if i == configs.count { return nil }
        }
        return widths.count >= 2 ? widths : nil
    }

    static func describe(_ config: LayerConfig) -> String {
        switch config {
        case let .linear(i, o, bias): "linear(\(i),\(o)\(bias ? "" : ",nobias"))"
        case .relu: "relu"
        case .gelu: "gelu"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case let .dropout(rate): "dropout(\(rate))"
        case let .layerNorm(features, _, _): "layer_norm(\(features))"
        case let .embedding(v, d): "embedding(\(v),\(d))"
        case let .causalSelfAttention(c, h, _): "attention(\(c),\(h))"
        case let .transformerBlock(c, h, _): "block(\(c),\(h))"
        case let .sequential(inner): "seq(" + inner.map(describe).joined(separator: " ") + ")"
        case let .gpt(s): "gpt(\(s.vocabulary),\(s.context),\(s.dimension),\(s.layers),\(s.heads))"
        }
    }
}

/// An unbuilt layer from `linear(...)`, `relu()`..., waiting to be put into `seq(...)`.
final class LayerSpecBox {
    let config: LayerConfig
    init(_ config: LayerConfig) { self.config = config }
}

/// The result of `train`: the model, how the run ended, and its learning curve.
final class RunBox {
    let model: Value
    let status: TrainingStatus
    /// One record per evaluation point.
    let curve: [Value]
    let steps: Int
    let seconds: Double
    /// Examples (tables) or tokens (text) per second.
    let throughput: Double
    let unit: String
    /// What looks wrong with the run although it ended normally (a loss that rose far above
    /// where it started), one sentence each.
    let warnings: [String]

    init(model: Value, status: TrainingStatus, curve: [Value], steps: Int, seconds: Double, throughput: Double, unit: String,
         warnings: [String] = []) {
        self.model = model
        self.status = status
        self.curve = curve
        self.steps = steps
        self.seconds = seconds
        self.throughput = throughput
        self.unit = unit
        self.warnings = warnings
    }

    var lastLoss: Double? {
        guard case .record(let r)? = curve.last else { return nil }
        return r.fields["loss"]?.number
    }

    var summary: String {
        var text = "<Run \(status.rawValue): \(NumberFormat.grouped(steps)) steps in \(NumberFormat.seconds(seconds))"
        if let loss = lastLoss { text += ", loss \(NumberFormat.short(loss))" }
        return text + ", \(NumberFormat.grouped(Int(throughput.rounded()))) \(unit)>"
    }
}

/// The host types of the training primitives, shared by every file in this folder.
enum TrainingTypes {
    static let dataset = HostType(
        name: "Dataset",
        doc: "A table (features and targets) or a tokenised text, from load_csv, load_text, dataset or split.",
        summary: { ($0 as! DataBox).summary },
        members: [
            "size": .property(doc: "Rows (tables) or characters (text).") { .int(($0 as! DataBox).count) },
            "features": .property(doc: "Features per row (0 for text).") { object in
                if case .table(let d) = (object as! DataBox).content { return .int(d.featureCount) }
                return .int(0)
            },
            "classes": .property(doc: "Number of classes (0 for regression and text).") { object in
                if case .table(let d) = (object as! DataBox).content { return .int(d.task.classCount) }
                return .int(0)
            },
            "vocab": .property(doc: "Vocabulary size of a text (0 for tables).") { object in
                if case .text(_, let v) = (object as! DataBox).content { return .int(v.count) }
                return .int(0)
            },
            "columns": .property(doc: "The feature names and, last, the target's (a text has [\"text\"]).") { object in
                .list(DataGlancePrimitives.columns(object as! DataBox).map { .string($0) })
            },
            "task": .property(doc: "\"classification\", \"regression\" or \"text\".") { object in
                switch (object as! DataBox).content {
                case .table(let d): return .string(d.task == .regression ? "regression" : "classification")
                case .text: return .string("text")
                }
            },
        ]
    )

    static let model = HostType(
        name: "Model",
        doc: "A trainable model from mlp, seq, gpt or load_model.",
        summary: { ($0 as! ModelBox).summary },
        members: [
            "params": .property(doc: "Number of trainable scalars.") { .int(($0 as! ModelBox).layer.parameterCount) },
            "architecture": .property(doc: "A short description of the layers.") { .string(($0 as! ModelBox).architecture) },
        ]
    )

    static let layer = HostType(
        name: "Layer",
        doc: "A layer description (linear, relu, ...) to build a model with seq(...).",
        summary: { "<Layer \(ModelBox.describe(($0 as! LayerSpecBox).config))>" }
    )

    static let run = HostType(
        name: "Run",
        doc: "The result of train: run.model, run.status, run.curve, run.steps, run.time, run.throughput.",
        summary: { ($0 as! RunBox).summary },
        members: [
            "model": .property(doc: "The trained model (the same handle that was passed in).") { ($0 as! RunBox).model },
            "status": .property(doc: "\"completed\", \"budget\", \"early_stopped\", \"diverged\", \"pruned\" (train(..., trial: t)) or \"interrupted\".") {
                .string(($0 as! RunBox).status.rawValue)
            },
            "curve": .property(doc: "One record per evaluation: step, epoch, loss, lr and validation metrics.") {
                .list(($0 as! RunBox).curve)
            },
            "steps": .property(doc: "Optimisation steps taken.") { .int(($0 as! RunBox).steps) },
            "time": .property(doc: "Wall-clock training time (a Duration).") { .duration(($0 as! RunBox).seconds) },
            "throughput": .property(doc: "Training examples (or tokens, for text) per second.") { .float(($0 as! RunBox).throughput) },
            "warnings": .property(doc: "What looks wrong although the run ended normally (e.g. a final loss far above the initial one), as Strings; [] when nothing does.") {
                .list(($0 as! RunBox).warnings.map { .string($0) })
            },
        ]
    )

    static func register(into registry: Registry) {
        for type in [dataset, model, layer, run] { registry.register(type) }
    }

    static func handle(_ box: DataBox) -> Value { .handle(Handle(dataset, box)) }
    static func handle(_ box: ModelBox) -> Value { .handle(Handle(model, box)) }
}

/// A catchable training error (`e.kind == "train"`), its message prefixed by the primitive's name.
func trainError(_ function: String, _ message: String) -> LoopError {
    LoopError(.host(kind: "train", message: "\(function): \(message)"))
}

/// A data file or table that cannot be used (`e.kind == "data"`): a missing column, a ragged
/// row, an empty file. Not a `train` error: nothing was trained.
func dataError(_ function: String, _ message: String) -> LoopError {
    LoopError(.host(kind: "data", message: "\(function): \(message)"))
}

enum TrainingArguments {
    static func model(_ v: Value, function: String, parameter: String) throws(LoopError) -> ModelBox {
        if case .handle(let h) = v, let box = h.object as? ModelBox { return box }
        throw trainError(function, "\(parameter) must be a Model (from mlp, seq, gpt or load_model), got \(v.typeName)")
    }

    /// `variable`: the caller's name for the argument, so the hint shows their code (`s.train`).
    static func dataset(_ v: Value, function: String, parameter: String, variable: String? = nil) throws(LoopError) -> DataBox {
        if case .handle(let h) = v, let box = h.object as? DataBox { return box }
        if case .record = v {
            let name = variable ?? "parts"
            throw trainError(function, "\(parameter) must be a Dataset; for a split, pass one part such as \(name).train or \(name).val")
        }
        throw trainError(function, "\(parameter) must be a Dataset (from load_csv, load_text, dataset or split), got \(v.typeName)")
    }
}

