/// A training objective: the mean loss over a batch and its gradient with respect to the model's
/// output.
public enum Loss: String, Sendable, CaseIterable {
    /// Softmax cross-entropy on logits `[rows, classes]` against class indices `[rows]`.
    case softmaxCrossEntropy
    /// Mean squared error, averaged over every element.
    case meanSquaredError
    /// Binary cross-entropy on logits (the sigmoid is folded in, which is stable for any logit)
    /// against 0/1 targets of the same count, averaged over every element.
    case binaryCrossEntropy

    /// The mean loss (in `Double`) and ∂loss/∂output.
    public func evaluate(output: Tensor, target: Tensor) -> (loss: Double, gradient: Tensor) {
        var grad = Tensor(shape: output.shape)
        let n = output.count
        switch self {
        case .softmaxCrossEntropy:
            let rows = target.count
            precondition(rows > 0 && n % rows == 0, "cross-entropy: \(output.shape) logits for \(rows) labels")
            let loss = grad.withUnsafeMutableBufferPointer { g in
                output.withUnsafeBufferPointer { o in target.withUnsafeBufferPointer { t in
                    Kernels.softmaxCrossEntropy(rows: rows, classes: n / rows, logits: o.baseAddress!, labels: t.baseAddress!,
                                                gradient: g.baseAddress!)
                } }
            }
            return (loss, grad)
        case .meanSquaredError:
            precondition(target.count == n, "MSE: output \(output.shape) vs target \(target.shape)")
            var total = 0.0
            grad.withUnsafeMutableBufferPointer { g in output.withUnsafeBufferPointer { o in target.withUnsafeBufferPointer { t in
                let scale = 2 / Float(n)
                for i in 0..<n {
                    let d = o[i] - t[i]
                    total += Double(d) * Double(d)
                    g[i] = scale * d
                }
            } } }
            return (total / Double(n), grad)
        case .binaryCrossEntropy:
            precondition(target.count == n, "BCE: output \(output.shape) vs target \(target.shape)")
            var total = 0.0
            grad.withUnsafeMutableBufferPointer { g in output.withUnsafeBufferPointer { o in target.withUnsafeBufferPointer { t in
                for i in 0..<n {
                    let z = Double(o[i]), y = Double(t[i])
                    // max(z,0) − z·y + log(1 + e^−|z|): the stable form of −y·log σ(z) − (1−y)·log(1−σ(z)).
                    total += max(z, 0) - z * y + _log(1 + _exp(-abs(z)))
                    g[i] = Float((1 / (1 + _exp(-z)) - y) / Double(n))
                }
            } } }
            return (total / Double(n), grad)
        }
    }
}
