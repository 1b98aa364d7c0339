import LoopLang
import LoopSupport
import LoopTrain

/// `mlp`, `seq` with its layer constructors, `gpt` and `params`: building models.
enum ModelPrimitives {
    /// `mlp`'s parameters, each declared once (see `Param`).
    enum MLPParameters {
        static let data = Param.optional("data", doc: "a Dataset or a split to take the widths in and out from")
        static let inputs = Param.optionalInt("in", doc: "input features (default: the data's)")
        static let hidden = Param.value("hidden", default: .list([]), doc: "the hidden layers' widths, e.g. [128, 128]")
        static let outputs = Param.optionalInt("out", doc: "outputs: classes or regression targets (default: the data's)")
        static let act = Param.string("act", default: "relu", doc: "relu, gelu, tanh or sigmoid, between the layers")
        static let dropout = Param.number("dropout", default: 0, doc: "the fraction of hidden units dropped while training, in [0, 1)")
        static let seed = Param.int("seed", default: 0, doc: "the initial weights")
        static let list = NativeParameters.list(data, inputs, hidden, outputs, act, dropout, seed)
    }

    /// `gpt`'s parameters, each declared once (see `Param`).
    enum GPTParameters {
        static let vocab = Param.value("vocab", doc: "the number of distinct characters, or a text Dataset whose vocabulary the model keeps")
        static let ctx = Param.int("ctx", default: 32, doc: "the context length in characters")
        static let dim = Param.int("dim", default: 64, doc: "the embedding width (a multiple of heads)")
        static let layers = Param.int("layers", default: 2, doc: "transformer blocks")
        static let heads = Param.int("heads", default: 4, doc: "attention heads per block")
        static let seed = Param.int("seed", default: 0, doc: "the initial weights")
        static let list = NativeParameters.list(vocab, ctx, dim, layers, heads, seed)
    }

    private enum P {
        static let seed = Param.int("seed", default: 0, doc: "fixes the initial weights").keywordOnly()
        static let inputs = Param.int("inputs", doc: "features in")
        static let outputs = Param.int("outputs", doc: "features out")
        static let bias = Param.bool("bias", default: true, doc: "add a learned bias")
        static let rate = Param.number("rate", doc: "the fraction of activations zeroed while training, in [0, 1)")
        static let features = Param.int("features", doc: "the width it normalises over")
        static let model = Param.model()
    }

    static func register(into registry: Registry) {
        registry.function(
            "mlp", MLPParameters.list,
            doc: "A multilayer perceptron: Linear layers of widths in, hidden..., out with `act` (relu, gelu, tanh, sigmoid) between them; widths not given are taken from `data`."
        ) { call throws(LoopError) in
            try mlp(call)
        }

        registry.function(
            "seq", NativeParameters.list(P.seed), variadic: true,
            doc: "A model of layers applied in order (seed: Int fixes the initial weights): linear(...), relu(), gelu(), tanh_layer(), sigmoid_layer(), dropout(...), layer_norm(...), or activation names as Strings."
        ) { call throws(LoopError) in
            guard !call.rest.isEmpty else { throw trainError("seq", "needs at least one layer, e.g. seq(linear(2, 16), relu(), linear(16, 3))") }
            var configs: [LayerConfig] = []
            for (i, v) in call.rest.enumerated() { configs.append(try layerConfig(v, position: i + 1)) }
            try checkWidths(configs)
            try checkMemory(.sequential(configs), "seq")
            let seed = UInt64(truncatingIfNeeded: try call[P.seed])
            return TrainingTypes.handle(ModelBox(makeLayer(.sequential(configs), seed: seed)))
        }

        registry.function(
            "linear", NativeParameters.list(P.inputs, P.outputs, P.bias),
            doc: "A fully connected layer from `inputs` to `outputs` features, for seq(...)."
        ) { call throws(LoopError) in
            let i = try call[P.inputs], o = try call[P.outputs]
            guard i > 0, o > 0 else { throw trainError("linear", "widths must be positive, got \(i) and \(o)") }
            return spec(.linear(inputs: i, outputs: o, bias: try call[P.bias]))
        }
        for (name, config, what) in [("relu", LayerConfig.relu, "ReLU"), ("gelu", .gelu(.erf), "GELU (exact, erf form)"),
                                     ("tanh_layer", .tanh, "tanh"), ("sigmoid_layer", .sigmoid, "logistic sigmoid")] {
            registry.function(name, [], doc: "A \(what) activation layer, for seq(...).") { _ in spec(config) }
        }
        registry.function("dropout", NativeParameters.list(P.rate), doc: "A dropout layer (active only while training), for seq(...).") { call throws(LoopError) in
            let rate = try call[P.rate]
            guard rate >= 0, rate < 1 else { throw trainError("dropout", "rate must be in [0, 1), got \(rate)") }
            return spec(.dropout(rate: Float(rate)))
        }
        registry.function("layer_norm", NativeParameters.list(P.features), doc: "Layer normalisation over `features`, for seq(...).") { call throws(LoopError) in
            let n = try call[P.features]
            guard n > 0 else { throw trainError("layer_norm", "features must be positive, got \(n)") }
            return spec(.layerNorm(features: n, eps: 1e-5, bias: true))
        }

        registry.function(
            "gpt", GPTParameters.list,
            doc: "A character-level GPT (pre-LN transformer, GELU, tied output head); `vocab` is a size or a text Dataset whose vocabulary it adopts."
        ) { call throws(LoopError) in
            try gpt(call)
        }

        registry.function("params", NativeParameters.list(P.model), doc: "The number of trainable scalars in a model.") { call throws(LoopError) in
            .int(try call[P.model].layer.parameterCount)
        }
    }

    static func spec(_ config: LayerConfig) -> Value { .handle(Handle(TrainingTypes.layer, LayerSpecBox(config))) }

    static func layerConfig(_ v: Value, position: Int) throws(LoopError) -> LayerConfig {
        if case .handle(let h) = v, let spec = h.object as? LayerSpecBox { return spec.config }
        if case .handle(let h) = v, let model = h.object as? ModelBox { return model.layer.config }
        if case .string(let name) = v, let act = Activation(rawValue: name) {
            switch act {
            case .relu: return .relu
            case .gelu: return .gelu(.erf)
            case .tanh: return .tanh
            case .sigmoid: return .sigmoid
            }
        }
        throw trainError("seq", "argument \(position) is not a layer (\(Printer.repr(v))); use linear(...), relu(), gelu(), tanh_layer(), sigmoid_layer(), dropout(...), layer_norm(...) or \"relu\"/\"gelu\"/\"tanh\"/\"sigmoid\"")
    }

    /// Consecutive fixed widths must agree (`linear(2, 16), relu(), linear(8, 3)` is caught here).
    static func checkWidths(_ configs: [LayerConfig]) throws(LoopError) {
        var width: Int?
        for (i, config) in configs.enumerated() {
            if let w = width, let input = config.inputWidth, input != w {
                throw trainError("seq", "layer \(i + 1) (\(ModelBox.describe(config))) takes \(input) features but the layer before it gives \(w)")
            }
            if let out = config.outputWidth { width = out }
        }
    }

    /// Refuses a model whose weights, gradients and optimiser state would not fit in memory,
    /// before any of it is allocated.
    static func checkMemory(_ config: LayerConfig, _ function: String) throws(LoopError) {
        if let exceeded = config.memoryProblem {
            let count = config.parameterEstimate
            let what = count < 1e15 ? NumberFormat.grouped(Int(count)) : "\(count)"
            throw LoopError(.outOfMemory(what: "\(function): a model of \(what) parameters (with gradients and optimizer state)",
                                         needed: exceeded.needed, available: exceeded.available))
        }
    }

    static func mlp(_ call: NativeCall) throws(LoopError) -> Value {
        typealias P = MLPParameters
        var inputs = try call[P.inputs], outputs = try call[P.outputs]
        if case .nil = try call[P.data] {} else {
            var v = try call[P.data]
            if case .record(let r) = v, let train = r.fields["train"] { v = train }
            let box = try TrainingArguments.dataset(v, function: "mlp", parameter: P.data.name)
            guard case .table(let d) = box.content else {
                throw trainError("mlp", "\(box.summary) is text; an mlp needs a table (use gpt for text)")
            }
            // Widths come from the data: an empty table gives an output width of 0, so say why.
            if d.count == 0 { throw trainError("mlp", "\(box.summary) has no rows to take the model's widths from") }
            inputs = inputs ?? d.featureCount
            outputs = outputs ?? d.outputCount
        }
        guard let inputs, let outputs else {
            throw trainError("mlp", "give in: and out: (or a dataset to take them from), e.g. mlp(in: 64, hidden: [128], out: 10)")
        }
        var hidden: [Int] = []
        let hiddenValue = try call[P.hidden]
        guard case .list(let hiddenWidths) = hiddenValue else { throw call.wrongType(P.hidden.name, expected: "a List", got: hiddenValue) }
        for v in hiddenWidths {
            guard case .int(let h) = v, h > 0 else { throw trainError("mlp", "hidden must be a list of positive Ints, got \(Printer.repr(hiddenValue))") }
            hidden.append(h)
        }
        guard inputs > 0, outputs > 0 else { throw trainError("mlp", "in and out must be positive, got \(inputs) and \(outputs)") }
        let actName = try call[P.act]
        guard let act = Activation(rawValue: actName) else {
            throw trainError("mlp", "unknown activation '\(actName)' (known: relu, gelu, tanh, sigmoid)")
        }
        let dropout = try call[P.dropout]
        guard dropout >= 0, dropout < 1 else { throw trainError("mlp", "dropout must be in [0, 1), got \(dropout)") }
        let widths = [inputs] + hidden + [outputs]
        try checkMemory(.sequential(zip(widths, widths.dropFirst()).map { .linear(inputs: $0, outputs: $1, bias: true) }), "mlp")
        let seed = UInt64(truncatingIfNeeded: try call[P.seed])
        let model = LoopTrain.mlp(inputs: inputs, hidden: hidden, outputs: outputs, activation: act, dropout: Float(dropout), seed: seed)
        return TrainingTypes.handle(ModelBox(model))
    }

    static func gpt(_ call: NativeCall) throws(LoopError) -> Value {
        typealias P = GPTParameters
        var vocabulary: CharVocabulary?
        let size: Int
        switch try call[P.vocab] {
        case let number where number.number != nil:
            guard let whole = number.wholeNumber else { throw call.wrongType(P.vocab.name, expected: "an Int", got: number) }
            size = whole
        case var v:
            if case .record(let r) = v, let train = r.fields["train"] { v = train }
            let box = try TrainingArguments.dataset(v, function: "gpt", parameter: P.vocab.name)
            guard case .text(_, let vocab) = box.content else {
                throw trainError("gpt", "vocab must be an Int or a text Dataset, got \(box.summary)")
            }
            vocabulary = vocab
            size = vocab.count
        }
        let ctx = try call[P.ctx], dim = try call[P.dim], layers = try call[P.layers], heads = try call[P.heads]
        guard size > 0, ctx > 0, dim > 0, layers > 0, heads > 0 else {
            throw trainError("gpt", "vocab, ctx, dim, layers and heads must be positive")
        }
        guard dim % heads == 0 else { throw trainError("gpt", "dim (\(dim)) must be a multiple of heads (\(heads))") }
        let config = GPTConfig(vocabulary: size, context: ctx, dimension: dim, layers: layers, heads: heads)
        try checkMemory(.gpt(config), "gpt")
        let seed = UInt64(truncatingIfNeeded: try call[P.seed])
        let model = GPT(config, seed: seed)
        return TrainingTypes.handle(ModelBox(model, vocabulary: vocabulary))
    }
}
