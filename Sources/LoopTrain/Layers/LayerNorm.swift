/// Layer normalisation over the last dimension with a learned gain (and, optionally, bias),
/// as PyTorch's `nn.LayerNorm` (biased variance, `eps` inside the square root).
public final class LayerNorm: Layer {
    public let features: Int
    public let eps: Float
    /// The gain (`weight` in PyTorch), initialised to 1.
    public let gamma: ModelParameter
    /// The bias, initialised to 0; nil when built with `bias: false`.
    public let beta: ModelParameter?
    private var input = Tensor(shape: [0])
    private var mean = Tensor(shape: [0])
    private var rstd = Tensor(shape: [0])

    /// Normalises the last dimension of width `features`.
    public init(features: Int, eps: Float = 1e-5, bias: Bool = true) {
        self.features = features
        self.eps = eps
        gamma = ModelParameter(name: "weight", value: Tensor(shape: [features], repeating: 1))
        beta = bias ? ModelParameter(name: "bias", value: Tensor(shape: [features])) : nil
    }

    public var parameters: [ModelParameter] { beta.map { [gamma, $0] } ?? [gamma] }
    public var config: LayerConfig { .layerNorm(features: features, eps: eps, bias: beta != nil) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.last == features, "LayerNorm(\(features)) got input of shape \(x.shape)")
        let rows = x.count / features
        var y = Tensor(uninitializedShape: x.shape)
        var mean = Tensor(uninitializedShape: [rows]), rstd = Tensor(uninitializedShape: [rows])
        let betaValue = beta?.value
        y.withUnsafeMutableBufferPointer { yp in
            mean.withUnsafeMutableBufferPointer { mp in
                rstd.withUnsafeMutableBufferPointer { rp in
                    x.withUnsafeBufferPointer { xp in
                        gamma.value.withUnsafeBufferPointer { gp in
                            withOptionalPointer(betaValue) { bp in
                                Kernels.layerNorm(rows: rows, cols: features, x: xp.baseAddress!, gamma: gp.baseAddress!,
                                                  beta: bp, eps: eps, y: yp.baseAddress!, mean: mp.baseAddress!,
                                                  rstd: rp.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        if training { input = x; self.mean = mean; self.rstd = rstd }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let rows = input.count / features
        precondition(dy.count == input.count, "LayerNorm.backward: gradient shape \(dy.shape) does not match the forward pass")
        var dx = Tensor(uninitializedShape: input.shape)
        dx.withUnsafeMutableBufferPointer { dxp in
            gamma.gradient.withUnsafeMutableBufferPointer { dg in
                withOptionalMutablePointer(beta) { db in
                    input.withUnsafeBufferPointer { xp in gamma.value.withUnsafeBufferPointer { gp in
                        mean.withUnsafeBufferPointer { mp in rstd.withUnsafeBufferPointer { rp in dy.withUnsafeBufferPointer { dyp in
                            Kernels.layerNormBackward(rows: rows, cols: features, x: xp.baseAddress!, gamma: gp.baseAddress!,
                                                      mean: mp.baseAddress!, rstd: rp.baseAddress!, dy: dyp.baseAddress!,
                                                      dx: dxp.baseAddress!, dgamma: dg.baseAddress!, dbeta: db)
                        } } }
                    } }
                }
            }
        }
        return dx
    }
}

func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.withUnsafeBufferPointer { body($0.baseAddress!) }
}

func withOptionalMutablePointer<R>(_ p: ModelParameter?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard let p else { return body(nil) }
    return p.gradient.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
