import LoopSupport

/// The shape of a character-level GPT.
public struct GPTConfig: Codable, Equatable, Sendable {
    /// Number of distinct tokens.
    public var vocabulary: Int
    /// Longest sequence (the number of learned positions).
    public var context: Int
    /// Channels of the residual stream (a multiple of `heads`).
    public var dimension: Int
    /// Number of transformer blocks.
    public var layers: Int
    /// Attention heads per block.
    public var heads: Int
    /// Biases in Linear and LayerNorm layers (nanoGPT's char-level default is none).
    public var bias: Bool

    /// A configuration; nanoGPT's char-level defaults have no biases.
    public init(vocabulary: Int, context: Int, dimension: Int, layers: Int, heads: Int, bias: Bool = false) {
        self.vocabulary = vocabulary
        self.context = context
        self.dimension = dimension
        self.layers = layers
        self.heads = heads
        self.bias = bias
    }
}

/// A decoder-only transformer language model (GPT-2 layout, as nanoGPT): token and position
/// embeddings, pre-LN `TransformerBlock`s, a final LayerNorm, and an output head tied to the token
/// embedding (logits = h·W_teᵀ). Input: token ids `[batch, time]` (time ≤ context); output:
/// logits `[batch, time, vocabulary]`.
///
/// Initialisation follows nanoGPT: every weight N(0, 0.02²), the residual projections
/// (`c_proj`) N(0, (0.02/√(2·layers))²), biases 0, LayerNorm gains 1.
public final class GPT: Layer {
    /// The shape this model was built with.
    public let settings: GPTConfig
    public let tokenEmbedding: Embedding
    public let positionEmbedding: Embedding
    public let blocks: [TransformerBlock]
    public let finalNorm: LayerNorm
    private var hidden = Tensor(shape: [0])
    private var shape = (batch: 0, time: 0)

    /// A freshly initialised model; the seed fixes every initial weight.
    public init(_ config: GPTConfig, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        settings = config
        tokenEmbedding = Embedding(vocabulary: config.vocabulary, dimension: config.dimension, std: 0.02, rng: &rng)
        positionEmbedding = Embedding(vocabulary: config.context, dimension: config.dimension, std: 0.02, rng: &rng)
        blocks = (0..<config.layers).map { _ in
            TransformerBlock(channels: config.dimension, heads: config.heads, bias: config.bias, rng: &rng)
        }
        finalNorm = LayerNorm(features: config.dimension, bias: config.bias)
        tokenEmbedding.weight.name = "transformer.wte.weight"
        positionEmbedding.weight.name = "transformer.wpe.weight"
        for p in finalNorm.parameters { p.name = "transformer.ln_f.\(p.name)" }
        let residualStd = 0.02 / Float(2 * config.layers).squareRoot()
        for (i, block) in blocks.enumerated() {
            for p in block.parameters {
                p.name = "transformer.h.\(i).\(p.name)"
                if p.value.rank == 2 {
                    let std = p.name.hasSuffix("c_proj.weight") ? residualStd : 0.02
                    p.value = .randn(p.value.shape, std: std, rng: &rng)
                } else if p.name.hasSuffix(".bias") {
                    p.value.zero()
                }
            }
        }
    }

    public var parameters: [ModelParameter] {
        [tokenEmbedding.weight, positionEmbedding.weight] + blocks.flatMap(\.parameters) + finalNorm.parameters
    }
    public var config: LayerConfig { .gpt(settings) }

    public func forward(_ ids: Tensor, training: Bool) -> Tensor {
        precondition(ids.rank == 2 && ids.shape[1] <= settings.context,
                     "gpt expects token ids [batch, time ≤ \(settings.context)], got \(ids.shape)")
        let (b, t, c, v) = (ids.shape[0], ids.shape[1], settings.dimension, settings.vocabulary)
        var x = tokenEmbedding.forward(ids, training: training)
        let positions = positionEmbedding.forward(Tensor(shape: [1, t], values: (0..<t).map(Float.init)), training: training)
        x.withUnsafeMutableBufferPointer { xp in
            positions.withUnsafeBufferPointer { pp in
                for bi in 0..<b { Kernels.add(t * c, xp.baseAddress! + bi * t * c, pp.baseAddress!, xp.baseAddress! + bi * t * c) }
            }
        }
        for block in blocks { x = block.forward(x, training: training) }
        let h = finalNorm.forward(x, training: training)
        var logits = Tensor(uninitializedShape: [b, t, v])
        logits.withUnsafeMutableBufferPointer { lp in
            h.withUnsafeBufferPointer { hp in
                tokenEmbedding.weight.value.withUnsafeBufferPointer { wp in
                    GEMM.sgemm(transB: true, m: b * t, n: v, k: c, a: hp.baseAddress!, lda: c, b: wp.baseAddress!, ldb: c,
                               c: lp.baseAddress!, ldc: v)
                }
            }
        }
        if training { hidden = h; shape = (b, t) }
        return logits
    }

    public func backward(_ dLogits: Tensor) -> Tensor {
        let (b, t, c, v) = (shape.batch, shape.time, settings.dimension, settings.vocabulary)
        var dh = Tensor(uninitializedShape: [b, t, c])
        dLogits.withUnsafeBufferPointer { gp in
            tokenEmbedding.weight.value.withUnsafeBufferPointer { wp in
                dh.withUnsafeMutableBufferPointer { dp in
                    GEMM.sgemm(m: b * t, n: c, k: v, a: gp.baseAddress!, lda: v, b: wp.baseAddress!, ldb: c, c: dp.baseAddress!, ldc: c)
                }
            }
            // The tied head's share of the embedding gradient: dW_te += dLogitsᵀ·h.
            hidden.withUnsafeBufferPointer { hp in
                tokenEmbedding.weight.gradient.withUnsafeMutableBufferPointer { wg in
                    GEMM.sgemm(transA: true, m: v, n: c, k: b * t, a: gp.baseAddress!, lda: v, b: hp.baseAddress!, ldb: c,
                               c: wg.baseAddress!, ldc: c, accumulate: true)
                }
            }
        }
        var dx = finalNorm.backward(dh)
        for block in blocks.reversed() { dx = block.backward(dx) }
        _ = tokenEmbedding.backward(dx)
        // Every sequence used positions 0..<t: sum their gradients over the batch.
        var dpos = Tensor(shape: [1, t, c])
        dx.withUnsafeBufferPointer { xp in
            dpos.withUnsafeMutableBufferPointer { pp in
                for bi in 0..<b { Kernels.add(t * c, pp.baseAddress!, xp.baseAddress! + bi * t * c, pp.baseAddress!) }
            }
        }
        _ = positionEmbedding.backward(dpos)
        return Tensor(shape: [b, t])
    }
}
