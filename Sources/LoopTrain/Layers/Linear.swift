import LoopSupport

/// `y = x·Wᵀ + b`, with `W` stored `[outputs, inputs]` as PyTorch's `nn.Linear` stores it (so a
/// checkpoint's tensors load into PyTorch unchanged).
///
/// The three products are the three GEMM forms: forward `x·Wᵀ`, input gradient `dy·W`, weight
/// gradient `dyᵀ·x`.
public final class Linear: Layer {
    public let inputs: Int
    public let outputs: Int
    /// `[outputs, inputs]`.
    public let weight: ModelParameter
    /// `[outputs]`, or nil for a layer without bias.
    public let bias: ModelParameter?
    private var input = Tensor(shape: [0])

    /// Initialised as PyTorch does by default (Kaiming-uniform with a = √5): weights and bias
    /// uniform on ±1/√inputs.
    public init(inputs: Int, outputs: Int, bias: Bool = true, rng: inout SeededRandom) {
        self.inputs = inputs
        self.outputs = outputs
        let bound = 1 / Float(inputs).squareRoot()
        weight = ModelParameter(name: "weight", value: .uniform([outputs, inputs], low: -bound, high: bound, rng: &rng))
        self.bias = bias ? ModelParameter(name: "bias", value: .uniform([outputs], low: -bound, high: bound, rng: &rng)) : nil
    }

    public var parameters: [ModelParameter] { bias.map { [weight, $0] } ?? [weight] }
    public var config: LayerConfig { .linear(inputs: inputs, outputs: outputs, bias: bias != nil) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.last == inputs, "Linear(\(inputs) → \(outputs)) got input of shape \(x.shape)")
        let rows = x.count / inputs
        var y = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [outputs])
        y.withUnsafeMutableBufferPointer { yp in
            x.withUnsafeBufferPointer { xp in
                weight.value.withUnsafeBufferPointer { wp in
                    GEMM.sgemm(transB: true, m: rows, n: outputs, k: inputs, a: xp.baseAddress!, lda: inputs,
                               b: wp.baseAddress!, ldb: inputs, c: yp.baseAddress!, ldc: outputs)
                }
            }
            if let bias {
                bias.value.withUnsafeBufferPointer { Kernels.addRowVector(rows: rows, cols: outputs, $0.baseAddress!, yp.baseAddress!) }
            }
        }
        if training { input = x }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var dx = Tensor(uninitializedShape: input.shape)
        dx.withUnsafeMutableBufferPointer { dxp in
            accumulateGradients(dy, inputGradient: dxp.baseAddress!)
        }
        return dx
    }

    public func backwardParameters(_ dy: Tensor) {
        accumulateGradients(dy, inputGradient: nil)
    }

    /// `dW += dyᵀ·x`, `db += Σ dy`, and, when `inputGradient` is given, `dx = dy·W` into it.
    private func accumulateGradients(_ dy: Tensor, inputGradient dx: UnsafeMutablePointer<Float>?) {
        let rows = input.count / inputs
        precondition(dy.count == rows * outputs, "Linear.backward: gradient shape \(dy.shape) does not match the forward pass")
        dy.withUnsafeBufferPointer { dyp in
            input.withUnsafeBufferPointer { xp in
                weight.gradient.withUnsafeMutableBufferPointer { dwp in
                    GEMM.sgemm(transA: true, m: outputs, n: inputs, k: rows, a: dyp.baseAddress!, lda: outputs,
                               b: xp.baseAddress!, ldb: inputs, c: dwp.baseAddress!, ldc: inputs, accumulate: true)
                }
            }
            if let dx {
                weight.value.withUnsafeBufferPointer { wp in
                    GEMM.sgemm(m: rows, n: inputs, k: outputs, a: dyp.baseAddress!, lda: outputs,
                               b: wp.baseAddress!, ldb: inputs, c: dx, ldc: inputs)
                }
            }
            if let bias {
                bias.gradient.withUnsafeMutableBufferPointer {
                    Kernels.sumRows(rows: rows, cols: outputs, dyp.baseAddress!, into: $0.baseAddress!, accumulate: true)
                }
            }
        }
    }
}
