import LoopLang
import LoopSupport
import LoopTrain

/// `relabel(data, model, soft: false)`: the same rows with the model's predictions as targets —
/// the transfer set of distillation, or pseudo-labels for self-training.
enum RelabelPrimitives {
    private enum P {
        static let data = Param.dataset(doc: "a table Dataset (not the held-out test split)")
        static let model = Param.model(doc: "the teacher: a Model that fits the table")
        static let soft = Param.bool("soft", default: false, doc: "targets are the raw outputs (logits, as regression) instead of classes")
    }

    static func register(into registry: Registry) {
        registry.function(
            "relabel", NativeParameters.list(P.data, P.model, P.soft),
            doc: "The rows of a table Dataset with the model's predictions as targets: its predicted classes, or with soft: true its raw outputs (logits) as regression targets, to distill a teacher into a student."
        ) { call throws(LoopError) in
            try relabel(call)
        }
    }

    static func relabel(_ call: NativeCall) throws(LoopError) -> Value {
        let box = try call[P.data]
        let model = try call[P.model]
        let soft = try call[P.soft]
        guard case .table(let data) = box.content else {
            throw trainError("relabel", "\(box.summary) is text; relabel works on tables (features and targets)")
        }
        guard !box.isHoldout else {
            throw trainError("relabel", "\(box.summary) is the held-out test split; relabel the train part (or fresh inputs) instead")
        }
        try EvalPrimitives.checkFits(model, box, function: "relabel")

        var none: SeededRandom? = nil
        var outputs: [Float] = []
        outputs.reserveCapacity(data.count * max(1, data.outputCount))
        for (x, _) in data.batches(size: 1024, shuffle: &none) {
            outputs += model.layer.forward(x, training: false).scalars
        }
        let width = data.count > 0 ? outputs.count / data.count : 0

        var copy = data
        if soft || data.task == .regression {
            copy.targets = Tensor(shape: [data.count, width], values: outputs)
            copy.task = .regression
        } else {
            var labels = [Float](repeating: 0, count: data.count)
            for r in 0..<data.count {
                if width == 1 {
                    labels[r] = outputs[r] > 0 ? 1 : 0
                } else {
                    var best = 0
                    for c in 1..<width where outputs[r * width + c] > outputs[r * width + best] { best = c }
                    labels[r] = Float(best)
                }
            }
            copy.targets = Tensor(shape: [data.count], values: labels)
        }
        let kind = soft ? "soft" : "labels"
        return TrainingTypes.handle(DataBox(.table(copy), origin: "\(box.origin) \(kind) by \(model.architecture)",
                                            standardizer: box.standardizer))
    }
}
