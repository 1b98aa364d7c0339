/// Adam (Kingma & Ba) and AdamW (Loshchilov & Hutter), with PyTorch's semantics:
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `θ ← θ − lr · (m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)`.
/// Weight decay applies to parameters with `decays` set: Adam adds `wd·θ` to the gradient (L2);
/// AdamW (`decoupled`) first shrinks `θ ← θ·(1 − lr·wd)`.
public final class Adam: Optimizer {
    public let parameters: [ModelParameter]
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let eps: Float
    public let weightDecay: Float
    public let decoupled: Bool
    /// Steps taken so far.
    public private(set) var stepCount = 0
    private var m: [Tensor]
    private var v: [Tensor]

    /// Adam over `parameters` with PyTorch's defaults; `decoupled` makes it AdamW.
    public init(parameters: [ModelParameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        m = zerosLike(parameters)
        v = zerosLike(parameters)
    }

    /// AdamW: decoupled weight decay (PyTorch's default 0.01).
    public static func adamW(parameters: [ModelParameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
                             beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps,
             weightDecay: weightDecay, decoupled: true)
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let c1 = Float(1 - _exp(t * _log(Double(beta1)))), c2 = Float(1 - _exp(t * _log(Double(beta2))))
        let b1 = V16(repeating: beta1), b2 = V16(repeating: beta2)
        let ob1 = V16(repeating: 1 - beta1), ob2 = V16(repeating: 1 - beta2)
        let stepSize = V16(repeating: learningRate / c1)
        let invSqrtC2 = V16(repeating: 1 / c2.squareRoot())
        let epsV = V16(repeating: eps)
        for (i, p) in parameters.enumerated() {
            let wd = p.decays ? weightDecay : 0
            let l2 = V16(repeating: decoupled ? 0 : wd)
            let shrink = V16(repeating: decoupled ? 1 - learningRate * wd : 1)
            let n = p.value.count
            p.value.withUnsafeMutableBufferPointer { theta in p.gradient.withUnsafeBufferPointer { grad in
                m[i].withUnsafeMutableBufferPointer { mb in v[i].withUnsafeMutableBufferPointer { vb in
                    let tp = theta.baseAddress!, gp = grad.baseAddress!, mp = mb.baseAddress!, vp = vb.baseAddress!
                    @inline(__always) func update(_ th: V16, _ g: V16, _ m: V16, _ v: V16) -> (V16, V16, V16) {
                        let g = g + l2 * th
                        let m = b1 * m + ob1 * g
                        let v = b2 * v + ob2 * g * g
                        let th = th * shrink - stepSize * m / ((vsqrt(v) * invSqrtC2) + epsV)
                        return (th, m, v)
                    }
                    // Element-wise, so blocks on the pool give the same result for any thread count.
                    ThreadPool.shared.forEachBlock(n, grain: ThreadPool.elementGrain) { _, block in
                        var j = block.lowerBound
                        let end = block.upperBound
                        while j + 16 <= end {
                            let (a, b, c) = update(load16(tp + j), load16(gp + j), load16(mp + j), load16(vp + j))
                            store16(a, tp + j); store16(b, mp + j); store16(c, vp + j); j += 16
                        }
                        if j < end {
                            let r = end - j
                            let (a, b, c) = update(loadPartial(tp + j, r), loadPartial(gp + j, r), loadPartial(mp + j, r),
                                                   loadPartial(vp + j, r))
                            storePartial(a, tp + j, r); storePartial(b, mp + j, r); storePartial(c, vp + j, r)
                        }
                    }
                } }
            } }
        }
    }
}
