import LoopSupport

/// Applies an element-wise kernel to a whole tensor.
@inline(__always) func elementwise(_ x: Tensor, _ kernel: (Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    var y = Tensor(uninitializedShape: x.shape)
    y.withUnsafeMutableBufferPointer { yp in
        x.withUnsafeBufferPointer { xp in
            let (xb, yb) = (xp.baseAddress!, yp.baseAddress!)
            ThreadPool.shared.forEachBlock(x.count, grain: ThreadPool.elementGrain) { _, r in
                kernel(r.count, xb + r.lowerBound, yb + r.lowerBound)
            }
        }
    }
    return y
}

/// Applies an element-wise backward kernel `(saved, dy) -> dx`.
@inline(__always) func elementwiseBackward(
    _ saved: Tensor, _ dy: Tensor,
    _ kernel: (Int, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
) -> Tensor {
    precondition(saved.count == dy.count, "backward: gradient shape \(dy.shape) does not match the forward pass \(saved.shape)")
    return elementwise(saved, dy, kernel)
}

/// Applies an element-wise kernel of two same-sized tensors; the result has `x`'s shape.
@inline(__always) func elementwise(
    _ x: Tensor, _ y: Tensor,
    _ kernel: (Int, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
) -> Tensor {
    var z = Tensor(uninitializedShape: x.shape)
    z.withUnsafeMutableBufferPointer { zp in
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                let (xb, yb, zb) = (xp.baseAddress!, yp.baseAddress!, zp.baseAddress!)
                ThreadPool.shared.forEachBlock(x.count, grain: ThreadPool.elementGrain) { _, r in
                    kernel(r.count, xb + r.lowerBound, yb + r.lowerBound, zb + r.lowerBound)
                }
            }
        }
    }
    return z
}

/// `max(x, 0)`.
public final class ReLU: Layer {
    private var input = Tensor(shape: [0])
    public init() {}
    public var config: LayerConfig { .relu }
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        if training { input = x }
        return elementwise(x, Kernels.relu)
    }
    public func backward(_ dy: Tensor) -> Tensor {
        elementwiseBackward(input, dy) { Kernels.reluBackward($0, x: $1, dy: $2, dx: $3) }
    }
}

/// The Gaussian error linear unit; exact (erf) by default, see `GELUApproximation`.
public final class GELU: Layer {
    public let approximation: GELUApproximation
    private var input = Tensor(shape: [0])
    public init(approximation: GELUApproximation = .erf) { self.approximation = approximation }
    public var config: LayerConfig { .gelu(approximation) }
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        if training { input = x }
        return elementwise(x) { Kernels.gelu($0, $1, $2, approximation: approximation) }
    }
    public func backward(_ dy: Tensor) -> Tensor {
        elementwiseBackward(input, dy) { Kernels.geluBackward($0, x: $1, dy: $2, dx: $3, approximation: approximation) }
    }
}

/// `tanh(x)`.
public final class Tanh: Layer {
    private var output = Tensor(shape: [0])
    public init() {}
    public var config: LayerConfig { .tanh }
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = elementwise(x, Kernels.tanh)
        if training { output = y }
        return y
    }
    public func backward(_ dy: Tensor) -> Tensor {
        elementwiseBackward(output, dy) { Kernels.tanhBackward($0, y: $1, dy: $2, dx: $3) }
    }
}

/// `1 / (1 + e^−x)`.
public final class Sigmoid: Layer {
    private var output = Tensor(shape: [0])
    public init() {}
    public var config: LayerConfig { .sigmoid }
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = elementwise(x, Kernels.sigmoid)
        if training { output = y }
        return y
    }
    public func backward(_ dy: Tensor) -> Tensor {
        elementwiseBackward(output, dy) { Kernels.sigmoidBackward($0, y: $1, dy: $2, dx: $3) }
    }
}

/// Inverted dropout: in training, zeroes each element with probability `rate` and scales the rest
/// by 1/(1 − rate), so evaluation needs no rescaling; the identity otherwise. The mask comes from
/// the layer's own seeded generator, so a seed fixes every mask of a run.
public final class Dropout: Layer {
    public let rate: Float
    /// The mask generator; public so a caller (or a test) can reseed it.
    public var rng: SeededRandom
    private var mask = Tensor(shape: [0])

    public init(rate: Float, rng: inout SeededRandom) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.rate = rate
        self.rng = rng.fork()
    }

    public var config: LayerConfig { .dropout(rate: rate) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        guard training, rate > 0 else {
            if training { mask = Tensor(shape: x.shape, repeating: 1) }
            return x
        }
        let keep = 1 / (1 - rate)
        mask = Tensor(shape: x.shape)
        mask.withUnsafeMutableBufferPointer { m in
            for i in m.indices { m[i] = rng.nextFloat() < rate ? 0 : keep }
        }
        var y = x
        y.withUnsafeMutableBufferPointer { yp in mask.withUnsafeBufferPointer { Kernels.multiply(x.count, yp.baseAddress!, $0.baseAddress!, yp.baseAddress!) } }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        elementwiseBackward(mask, dy) { n, m, dy, dx in Kernels.multiply(n, m, dy, dx) }
    }
}
