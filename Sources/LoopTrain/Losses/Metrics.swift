/// Evaluation metrics computed from a model's outputs and the targets.
public enum Metrics {
    /// Fraction of rows whose arg-max logit equals the label. With one output column the output is
    /// a binary logit and the prediction is `logit > 0`.
    public static func accuracy(output: Tensor, labels: Tensor) -> Double {
        let rows = labels.count
        guard rows > 0 else { return 0 }
        let classes = output.count / rows
        var correct = 0
        output.withUnsafeBufferPointer { o in labels.withUnsafeBufferPointer { l in
            for r in 0..<rows {
                let prediction: Int
                if classes == 1 {
                    prediction = o[r] > 0 ? 1 : 0
                } else {
                    var best = 0
                    for c in 1..<classes where o[r * classes + c] > o[r * classes + best] { best = c }
                    prediction = best
                }
                if prediction == Int(l[r]) { correct += 1 }
            }
        } }
        return Double(correct) / Double(rows)
    }

    /// Mean squared error.
    public static func meanSquaredError(output: Tensor, target: Tensor) -> Double {
        Loss.meanSquaredError.evaluate(output: output, target: target).loss
    }

    /// Coefficient of determination, 1 − SS_res / SS_tot over all elements (1 is perfect; 0 is
    /// predicting the mean; −∞..1). Returns 0 when the target is constant.
    public static func r2(output: Tensor, target: Tensor) -> Double {
        let y = target.scalars.map(Double.init), p = output.scalars.map(Double.init)
        guard !y.isEmpty else { return 0 }
        let mean = y.reduce(0, +) / Double(y.count)
        let ssTot = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = zip(y, p).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return ssTot == 0 ? 0 : 1 - ssRes / ssTot
    }

    /// Bits per character from a mean cross-entropy in nats.
    public static func bitsPerCharacter(crossEntropy: Double) -> Double {
        crossEntropy / 0.693_147_180_559_945_3
    }
}
