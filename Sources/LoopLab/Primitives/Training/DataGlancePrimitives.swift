import LoopLang
import LoopSupport
import LoopTrain

/// Data at a glance: `head`, `describe`, `value_counts` and `data.columns`; a model's view of
/// it: `predict` and `confusion`. Tables come back as Table values, shown as aligned columns.
enum DataGlancePrimitives {
    private enum P {
        static let data = Param.dataset()
        static let n = Param.int("n", default: 5, doc: "how many rows (or lines of a text)")
        static let counted = Param.value("data", doc: "a classification Dataset, or a List of values")
        static let model = Param.model()
    }

    static func register(into registry: Registry) {
        registry.function("head", NativeParameters.list(P.data, P.n),
                          doc: "The first n rows of a table (features and target) or lines of a text, as a Table.") { call throws(LoopError) in
            let box = try call[P.data]
            let n = try call[P.n]
            guard n >= 0 else { throw trainError("head", "n must not be negative, got \(n)") }
            switch box.content {
            case .table(let d):
                let rows = (0..<min(n, d.count)).map { r in
                    (0..<d.featureCount).map { Value.float(Double(d.features[r, $0])) } + [target(d, row: r)]
                }
                return table(columns(box), rows)
            case .text(let tokens, let vocabulary):
                let text = vocabulary.decode(tokens.prefix(200 * max(n, 1)))
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(n)
                return table(["text"], lines.map { [.string(String($0))] })
            }
        }
        registry.function("describe", NativeParameters.list(P.data),
                          doc: "Per column: count, mean, std, min, quartiles and max; the class counts are in its title.") { call throws(LoopError) in
            let box = try call[P.data]
            guard case .table(let d) = box.content else { throw trainError("describe", "\(box.summary) is text; describe summarises tables") }
            var rows: [[Value]] = []
            for c in 0..<d.featureCount {
                rows.append([.string(d.featureNames[c])] + statistics((0..<d.count).map { Double(d.features[$0, c]) }))
            }
            if d.task == .regression {
                rows.append([.string(d.targetName)] + statistics((0..<d.count).map { Double(d.targets[flat: $0 * d.targets.columns]) }))
            }
            let title = "\(box.summary)" + (d.task == .regression ? "" : "\nclasses: " + counts(d).map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            return .handle(Handle(TableBox.type, TableBox(columns: ["column", "count", "mean", "std", "min", "25%", "50%", "75%", "max"],
                                                          rows: rows, title: title)))
        }
        registry.function("value_counts", NativeParameters.list(P.counted),
                          doc: "How often each class of a Dataset (or each value of a List) occurs, most frequent first, as a Table {value, count, share}.") { call throws(LoopError) in
            var pairs: [(Value, Int)]
            switch try call[P.counted] {
            case .list(let items):
                var seen: [(Value, Int)] = []
                for item in items {
                    if let i = seen.firstIndex(where: { Value.equal($0.0, item) }) { seen[i].1 += 1 } else { seen.append((item, 1)) }
                }
                pairs = seen
            case let other:
                let box = try TrainingArguments.dataset(other, function: "value_counts", parameter: P.counted.name, variable: call.argumentName(P.counted.name))
                guard case .table(let d) = box.content, d.task != .regression else {
                    throw trainError("value_counts", "\(box.summary) has no classes to count (give a classification table or a List)")
                }
                pairs = counts(d).map { (label($0.0), $0.1) }
            }
            pairs.sort { $0.1 > $1.1 }
            let total = Double(pairs.reduce(0) { $0 + $1.1 })
            return table(["value", "count", "share"], pairs.map { [$0.0, .int($0.1), .float(total > 0 ? Double($0.1) / total : 0)] })
        }
        registry.function("predict", NativeParameters.list(P.model, P.data),
                          doc: "The model's prediction for each row: a class (its label) for classification, a number for regression.") { call throws(LoopError) in
            let (d, outputs, width) = try forward(call)
            return .list((0..<d.count).map { r in
                d.task == .regression ? .float(Double(outputs[r * width])) : label(d, predictedClass(outputs, row: r, width: width))
            })
        }
        registry.function("confusion", NativeParameters.list(P.model, P.data),
                          doc: "The confusion matrix of a classifier on a dataset, as a Table: a row per true class, a column per predicted class.") { call throws(LoopError) in
            let (d, outputs, width) = try forward(call)
            guard case .classification(let names) = d.task else { throw trainError("confusion", "the data is a regression; confusion needs classes") }
            var matrix = Array(repeating: Array(repeating: 0, count: names.count), count: names.count)
            for r in 0..<d.count {
                let truth = Int(d.targets[flat: r]), predicted = predictedClass(outputs, row: r, width: width)
                if truth < names.count, predicted < names.count { matrix[truth][predicted] += 1 }
            }
            let rows = names.indices.map { t in [label(d, t)] + matrix[t].map { Value.int($0) } }
            return table(["true \\ predicted"] + names, rows)
        }
    }

    static func columns(_ box: DataBox) -> [String] {
        switch box.content {
        case .table(let d): return d.featureNames + [d.targetName]
        case .text: return ["text"]
        }
    }

    private static func table(_ columns: [String], _ rows: [[Value]]) -> Value {
        .handle(Handle(TableBox.type, TableBox(columns: columns, rows: rows)))
    }

    /// A row's target: the class label, or the regression value.
    private static func target(_ d: Dataset, row: Int) -> Value {
        d.task == .regression ? .float(Double(d.targets[flat: row * d.targets.columns])) : label(d, Int(d.targets[flat: row]))
    }

    /// A class as the data names it: an Int when the labels are the class numbers themselves.
    private static func label(_ d: Dataset, _ index: Int) -> Value {
        guard case .classification(let names) = d.task, index >= 0, index < names.count else { return .int(index) }
        return names[index] == String(index) ? .int(index) : .string(names[index])
    }

    private static func label(_ name: String) -> Value { Int(name).map { .int($0) } ?? .string(name) }

    private static func counts(_ d: Dataset) -> [(String, Int)] {
        guard case .classification(let names) = d.task else { return [] }
        var counts = Array(repeating: 0, count: names.count)
        for r in 0..<d.count where Int(d.targets[flat: r]) < names.count { counts[Int(d.targets[flat: r])] += 1 }
        return zip(names, counts).map { ($0, $1) }
    }

    /// count, mean, std (population), min, quartiles (linear interpolation, as numpy), max.
    private static func statistics(_ xs: [Double]) -> [Value] {
        guard !xs.isEmpty else { return [.int(0)] + Array(repeating: .nil, count: 7) }
        let sorted = xs.sorted()
        let mean = xs.reduce(0, +) / Double(xs.count)
        let std = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)).squareRoot()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        return [.int(xs.count), .float(mean), .float(std), .float(sorted[0]), .float(quantile(0.25)), .float(quantile(0.5)),
                .float(quantile(0.75)), .float(sorted[sorted.count - 1])]
    }

    /// The model's outputs on a table it fits (not the held-out test split), row by row.
    private static func forward(_ call: NativeCall) throws(LoopError) -> (Dataset, [Float], Int) {
        let model = try call[P.model]
        let box = try call[P.data]
        let name = call.function.name
        guard case .table(let d) = box.content else { throw trainError(name, "\(box.summary) is text; \(name) works on tables") }
        guard !box.isHoldout else {
            throw trainError(name, "\(box.summary) is the held-out test split; look at it once, at the end, with final_eval(model, data.test)")
        }
        try EvalPrimitives.checkFits(model, box, function: name)
        var outputs: [Float] = []
        var none: SeededRandom? = nil
        for (x, _) in d.batches(size: 1024, shuffle: &none) { outputs += model.layer.forward(x, training: false).scalars }
        return (d, outputs, d.count > 0 ? outputs.count / d.count : 0)
    }

    private static func predictedClass(_ outputs: [Float], row: Int, width: Int) -> Int {
        if width == 1 { return outputs[row] > 0 ? 1 : 0 }
        var best = 0
        for c in 1..<width where outputs[row * width + c] > outputs[row * width + best] { best = c }
        return best
    }
}
