import LoopSupport

/// Builds a freshly initialised layer from its description (a checkpoint then supplies the values).
public func makeLayer(_ config: LayerConfig, seed: UInt64 = 0) -> any Layer {
    var rng = SeededRandom(seed: seed)
    return makeLayer(config, rng: &rng)
}

func makeLayer(_ config: LayerConfig, rng: inout SeededRandom) -> any Layer {
    switch config {
    case let .linear(inputs, outputs, bias): return Linear(inputs: inputs, outputs: outputs, bias: bias, rng: &rng)
    case .relu: return ReLU()
    case let .gelu(approximation): return GELU(approximation: approximation)
    case .tanh: return Tanh()
    case .sigmoid: return Sigmoid()
    case let .dropout(rate): return Dropout(rate: rate, rng: &rng)
    case let .layerNorm(features, eps, bias): return LayerNorm(features: features, eps: eps, bias: bias)
    case let .embedding(vocabulary, dimension): return Embedding(vocabulary: vocabulary, dimension: dimension, rng: &rng)
    case let .sequential(configs): return Sequential(configs.map { makeLayer($0, rng: &rng) })
    case let .causalSelfAttention(channels, heads, bias):
        return CausalSelfAttention(channels: channels, heads: heads, bias: bias, rng: &rng)
    case let .transformerBlock(channels, heads, bias):
        return TransformerBlock(channels: channels, heads: heads, bias: bias, rng: &rng)
    case let .gpt(settings): return GPT(settings, seed: rng.next())
    }
}
