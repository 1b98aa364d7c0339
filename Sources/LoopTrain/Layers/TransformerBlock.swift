import LoopSupport

/// A pre-LN transformer block (GPT-2): `x + attn(ln_1(x))`, then `x + mlp(ln_2(x))` with
/// `mlp = c_proj(GELU(c_fc(·)))` and a 4× hidden width.
public final class TransformerBlock: Layer {
    public let ln1: LayerNorm
    public let attention: CausalSelfAttention
    public let ln2: LayerNorm
    public let fc: Linear
    public let gelu: GELU
    public let proj: Linear

    /// A block of width `channels` with `heads` attention heads.
    public init(channels: Int, heads: Int, bias: Bool = false, rng: inout SeededRandom) {
        ln1 = LayerNorm(features: channels, bias: bias)
        attention = CausalSelfAttention(channels: channels, heads: heads, bias: bias, rng: &rng)
        ln2 = LayerNorm(features: channels, bias: bias)
        fc = Linear(inputs: channels, outputs: 4 * channels, bias: bias, rng: &rng)
        gelu = GELU()
        proj = Linear(inputs: 4 * channels, outputs: channels, bias: bias, rng: &rng)
        for p in ln1.parameters { p.name = "ln_1.\(p.name)" }
        for p in ln2.parameters { p.name = "ln_2.\(p.name)" }
        for p in attention.parameters { p.name = "attn.\(p.name)" }
        for p in fc.parameters { p.name = "mlp.c_fc.\(p.name)" }
        for p in proj.parameters { p.name = "mlp.c_proj.\(p.name)" }
    }

    public var parameters: [ModelParameter] {
        ln1.parameters + attention.parameters + ln2.parameters + fc.parameters + proj.parameters
    }
    public var config: LayerConfig {
        .transformerBlock(channels: ln1.features, heads: attention.heads, bias: fc.bias != nil)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let a = attention.forward(ln1.forward(x, training: training), training: training)
        let h = add(x, a)
        let m = proj.forward(gelu.forward(fc.forward(ln2.forward(h, training: training), training: training), training: training),
                             training: training)
        return add(h, m)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let dh = add(dy, ln2.backward(fc.backward(gelu.backward(proj.backward(dy)))))
        return add(dh, ln1.backward(attention.backward(dh)))
    }
}

/// Element-wise sum of two tensors of the same shape (the residual connection).
func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.count == b.count, "residual: \(a.shape) + \(b.shape)")
    return elementwise(a, b, Kernels.add)
}
