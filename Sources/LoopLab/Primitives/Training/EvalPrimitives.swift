import LoopLang
import LoopTrain

/// `eval(model, data)`: the metrics of the data's task, as a record.
enum EvalPrimitives {
    private enum P {
        static let model = Param.model()
        static let data = Param.dataset()
    }

    static func register(into registry: Registry) {
        registry.function(
            "eval", NativeParameters.list(P.model, P.data),
            doc: "Metrics of a model on a dataset: {accuracy, loss} (classification), {mse, r2, loss} (regression), {loss, bpc} (text)."
        ) { call throws(LoopError) in
            let model = try call[P.model]
            let data = try call[P.data]
            guard !data.isHoldout else {
                throw trainError("eval", "\(data.summary) is the held-out test split; evaluate it once, at the end, with final_eval(model, data.test) (looking at the test set while tuning makes it a second validation set)")
            }
            try checkFits(model, data, function: "eval")
            return .record(pairs: metrics(model, data).map { ($0.0, .float($0.1)) })
        }

        registry.function(
            "final_eval", NativeParameters.list(P.model, P.data),
            doc: "The one evaluation of the held-out test split (eval refuses it): the same metrics as eval, recorded as a note in the project store that counts the looks at this split; a second look still runs but warns."
        ) { call throws(LoopError) in
            let model = try call[P.model]
            let data = try call[P.data]
            try checkFits(model, data, function: "final_eval")
            let result = Value.record(pairs: metrics(model, data).map { ($0.0, .float($0.1)) })
            _ = try FinalEvalLog.record(model: model, data: data, result: result, call: call)
            return result
        }
    }

    /// Metric name and value pairs, in the order they are shown.
    static func metrics(_ model: ModelBox, _ data: DataBox) -> [(String, Double)] {
        switch data.content {
        case .table(let d):
            let e = evaluate(model.layer, on: d, loss: loss(for: model.layer, d))
            if d.task == .regression { return [("mse", e.meanSquaredError ?? .nan), ("r2", e.r2 ?? .nan), ("loss", e.loss)] }
            return [("accuracy", e.accuracy ?? .nan), ("loss", e.loss)]
        case .text(let tokens, _):
            let loss = textLoss(model.gpt!, tokens: tokens)
            return [("loss", loss), ("bpc", Metrics.bitsPerCharacter(crossEntropy: loss))]
        }
    }

    /// The objective for a model on a table: cross-entropy for classes (binary on a single
    /// logit), mean squared error for regression.
    static func loss(for model: any Layer, _ data: Dataset) -> Loss {
        if data.task == .regression { return .meanSquaredError }
        return model.config.outputWidth == 1 ? .binaryCrossEntropy : .softmaxCrossEntropy
    }

    /// Throws a clear error when the model cannot read the data (before any kernel sees it).
    static func checkFits(_ model: ModelBox, _ data: DataBox, function: String) throws(LoopError) {
        switch data.content {
        case .table(let d):
            if model.gpt != nil {
                throw trainError(function, "\(model.summary) is a language model but \(data.summary) is a table; use mlp or seq for tables")
            }
            guard d.count > 0 else { throw trainError(function, "\(data.summary) has no rows") }
            do { try d.checkCompatible(with: model.layer) } catch {
                throw trainError(function, "shape mismatch: \(error) (model \(model.summary), data \(data.summary))")
            }
        case .text(let tokens, let vocabulary):
            guard let gpt = model.gpt else {
                throw trainError(function, "\(data.summary) is text but \(model.summary) is not a gpt; build one with gpt(vocab: data)")
            }
            if vocabulary.count > gpt.settings.vocabulary {
                throw trainError(function, "shape mismatch: the text has \(vocabulary.count) distinct characters but the model's vocabulary is \(gpt.settings.vocabulary) (model \(model.summary))")
            }
            if let own = model.vocabulary, own != vocabulary {
                throw trainError(function, "the model was built for a different character vocabulary than \(data.summary)")
            }
            guard tokens.count >= 2 else { throw trainError(function, "\(data.summary) is too short (needs at least 2 characters)") }
        }
    }

    /// Mean next-token cross-entropy over non-overlapping windows of the model's context
    /// (at most `maxWindows`, evenly spaced, so evaluating a long text stays cheap).
    static func textLoss(_ model: GPT, tokens: [Int], maxWindows: Int = 256, batch: Int = 64) -> Double {
        let ctx = min(model.settings.context, tokens.count - 1)
        let available = (tokens.count - 1) / ctx
        let count = min(available, maxWindows)
        let starts = (0..<count).map { i in (available > maxWindows ? i * available / count : i) * ctx }
        var total = 0.0
        var index = 0
        while index < starts.count {
            let chunk = starts[index..<min(index + batch, starts.count)]
            var x: [Float] = [], y: [Float] = []
            x.reserveCapacity(chunk.count * ctx); y.reserveCapacity(chunk.count * ctx)
            for s in chunk {
                for t in 0..<ctx { x.append(Float(tokens[s + t])); y.append(Float(tokens[s + t + 1])) }
            }
            let logits = model.forward(Tensor(shape: [chunk.count, ctx], values: x), training: false)
            let loss = Loss.softmaxCrossEntropy.evaluate(output: logits, target: Tensor(shape: [chunk.count, ctx], values: y)).loss
            total += loss * Double(chunk.count)
            index += chunk.count
        }
        return total / Double(max(starts.count, 1))
    }
}
