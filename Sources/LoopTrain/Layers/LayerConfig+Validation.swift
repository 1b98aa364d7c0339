import LoopSupport

/// Checks on a description before anything is built from it. A checkpoint's architecture is data
/// from a file (width −2, 2^40, a dropout rate of 5, 0 heads), and the layers' initialisers treat
/// such values as programming errors (a trap) or allocate what they are told.
extension LayerConfig {
    /// Why this description cannot be built, or nil when it can.
    public var problem: String? {
        func positive(_ pairs: KeyValuePairs<String, Int>) -> String? {
            pairs.first { $0.value <= 0 }.map { "\($0.key) must be positive, got \($0.value)" }
        }
        func heads(_ channels: Int, _ heads: Int) -> String? {
            heads > 0 && channels % heads == 0 ? nil : "channels (\(channels)) must be a positive multiple of heads (\(heads))"
        }
        switch self {
        case let .linear(inputs, outputs, _): return positive(["linear inputs": inputs, "linear outputs": outputs])
        case .relu, .gelu, .tanh, .sigmoid: return nil
        case let .dropout(rate): return rate >= 0 && rate < 1 ? nil : "dropout rate must be in [0, 1), got \(rate)"
        case let .layerNorm(features, eps, _):
            return positive(["layer_norm features": features]) ?? (eps > 0 && eps.isFinite ? nil : "layer_norm eps must be positive, got \(eps)")
        case let .embedding(vocabulary, dimension): return positive(["embedding vocabulary": vocabulary, "embedding dimension": dimension])
        case let .causalSelfAttention(channels, h, _), let .transformerBlock(channels, h, _):
            return positive(["attention channels": channels]) ?? heads(channels, h)
        case let .gpt(s):
            return positive(["gpt vocabulary": s.vocabulary, "gpt context": s.context, "gpt dimension": s.dimension, "gpt layers": s.layers])
                ?? heads(s.dimension, s.heads)
        case let .sequential(layers):
            if layers.isEmpty { return "a sequential model needs at least one layer" }
            if let inner = layers.lazy.compactMap(\.problem).first { return inner }
            var width: Int?
            for (i, layer) in layers.enumerated() {
                if let w = width, let input = layer.inputWidth, input != w {
                    return "layer \(i + 1) takes \(input) features but the layer before it gives \(w)"
                }
                if let out = layer.outputWidth { width = out }
            }
            return nil
        }
    }

    /// The number of trainable scalars, computed without building anything (a Double, so that
    /// absurd widths are counted rather than overflowing).
    public var parameterEstimate: Double {
        func linear(_ i: Double, _ o: Double, _ bias: Bool) -> Double { i * o + (bias ? o : 0) }
        func block(_ width: Int, _ bias: Bool) -> Double {
            // Two LayerNorms, attention (c → 3c, c → c) and the 4× MLP.
            let c = Double(width)
            return 2 * c * (bias ? 2 : 1) + linear(c, 3 * c, bias) + linear(c, c, bias) + linear(c, 4 * c, bias) + linear(4 * c, c, bias)
        }
        switch self {
        case let .linear(i, o, bias): return linear(Double(i), Double(o), bias)
        case .relu, .gelu, .tanh, .sigmoid, .dropout: return 0
        case let .layerNorm(features, _, bias): return Double(features) * (bias ? 2 : 1)
        case let .embedding(v, d): return Double(v) * Double(d)
        case let .causalSelfAttention(c, _, bias): return linear(Double(c), 3 * Double(c), bias) + linear(Double(c), Double(c), bias)
        case let .transformerBlock(c, _, bias): return block(c, bias)
        case let .gpt(s):
            return (Double(s.vocabulary) + Double(s.context)) * Double(s.dimension) + Double(s.layers) * block(s.dimension, s.bias)
                + Double(s.dimension) * (s.bias ? 2 : 1)
        case let .sequential(layers): return layers.reduce(0) { $0 + $1.parameterEstimate }
        }
    }

    /// Whether building and training it fits in memory: each parameter holds its value, its
    /// gradient and an optimiser's two moments (16 bytes); nil when it fits.
    public var memoryProblem: MemoryBudget.Exceeded? { MemoryBudget.check(bytes: parameterEstimate * 16) }
}
