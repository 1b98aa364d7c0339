/// Updates parameters from their accumulated gradients.
///
/// A training step is: `zeroGradients()`, forward, loss, backward, optionally
/// `clipGradientNorm`, then `step()`; a schedule sets `learningRate` before each step.
public protocol Optimizer: AnyObject {
    /// The parameters this optimiser updates, in the order its state is kept.
    var parameters: [ModelParameter] { get }
    /// The step size used by the next `step()`.
    var learningRate: Float { get set }
    /// Applies one update to every parameter.
    func step()
}

extension Optimizer {
    /// Zeroes every parameter's gradient.
    public func zeroGradients() { for p in parameters { p.zeroGradient() } }
}

/// Scales all gradients together so their global L2 norm is at most `maxNorm` (as PyTorch's
/// `clip_grad_norm_`). Returns the norm before clipping (summed in `Double`, parameter order).
@discardableResult
public func clipGradientNorm(_ parameters: [ModelParameter], maxNorm: Float) -> Double {
    var total = 0.0
    for p in parameters {
        total += p.gradient.withUnsafeBufferPointer { Double(Kernels.sumOfSquares($0.count, $0.baseAddress!)) }
    }
    let norm = total.squareRoot()
    if norm > Double(maxNorm) {
        let scale = Float(Double(maxNorm) / (norm + 1e-6))
        for p in parameters {
            p.gradient.withUnsafeMutableBufferPointer { Kernels.scale($0.count, alpha: scale, $0.baseAddress!, $0.baseAddress!) }
        }
    }
    return norm
}

/// Per-parameter optimiser state: one tensor shaped like each parameter.
func zerosLike(_ parameters: [ModelParameter]) -> [Tensor] {
    parameters.map { Tensor(shape: $0.value.shape) }
}
