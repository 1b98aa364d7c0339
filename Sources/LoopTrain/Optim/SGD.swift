/// Stochastic gradient descent with optional momentum (heavy-ball or Nesterov) and L2 weight
/// decay, with PyTorch's `torch.optim.SGD` semantics (dampening 0):
/// `g ← g + wd·θ` (decaying parameters only); `b ← μ·b + g` (`b = g` on the first step);
/// `g ← g + μ·b` (Nesterov) or `g ← b`; `θ ← θ − lr·g`.
public final class SGD: Optimizer {
    public let parameters: [ModelParameter]
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private var velocity: [Tensor]
    private var started = false

    /// SGD over `parameters`; `nesterov` needs `momentum > 0`.
    public init(parameters: [ModelParameter], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        velocity = momentum > 0 ? zerosLike(parameters) : []
    }

    public func step() {
        let lr = V16(repeating: learningRate), mu = V16(repeating: momentum)
        let first = !started
        started = true
        for (i, p) in parameters.enumerated() {
            let wd = V16(repeating: p.decays ? weightDecay : 0)
            let n = p.value.count
            p.value.withUnsafeMutableBufferPointer { theta in
                p.gradient.withUnsafeBufferPointer { grad in
                    let t = theta.baseAddress!, g = grad.baseAddress!
                    if momentum == 0 {
                        map16(n, UnsafePointer(t), g, t) { t, g in t - lr * (g + wd * t) }
                        return
                    }
                    velocity[i].withUnsafeMutableBufferPointer { vel in
                        let b = vel.baseAddress!
                        var j = 0
                        func update(_ t: V16, _ g: V16, _ b: V16) -> (V16, V16) {
                            let g = g + wd * t
                            let nb = first ? g : mu * b + g
                            let d = nesterov ? g + mu * nb : nb
                            return (t - lr * d, nb)
                        }
                        while j + 16 <= n {
                            let (nt, nb) = update(load16(t + j), load16(g + j), load16(b + j))
                            store16(nt, t + j); store16(nb, b + j); j += 16
                        }
                        if j < n {
                            let r = n - j
                            let (nt, nb) = update(loadPartial(t + j, r), loadPartial(g + j, r), loadPartial(b + j, r))
                            storePartial(nt, t + j, r); storePartial(nb, b + j, r)
                        }
                    }
                }
            }
        }
    }
}
