/// A serialisable description of a layer (stored as JSON in checkpoints' `__metadata__`).
public indirect enum LayerConfig: Codable, Equatable, Sendable {
    case linear(inputs: Int, outputs: Int, bias: Bool)
    case relu
    case gelu(GELUApproximation)
    case tanh
    case sigmoid
    case dropout(rate: Float)
    case layerNorm(features: Int, eps: Float, bias: Bool)
    case embedding(vocabulary: Int, dimension: Int)
    case causalSelfAttention(channels: Int, heads: Int, bias: Bool)
    case transformerBlock(channels: Int, heads: Int, bias: Bool)
    case sequential([LayerConfig])
    case gpt(GPTConfig)
}

extension LayerConfig {
    /// The width of the last input dimension the layer accepts, when it is fixed (nil for
    /// element-wise layers, and for token-id inputs, which have no feature dimension).
    public var inputWidth: Int? {
        switch self {
        case let .linear(inputs, _, _): inputs
        case let .layerNorm(features, _, _): features
        case let .causalSelfAttention(channels, _, _), let .transformerBlock(channels, _, _): channels
        case let .sequential(layers): layers.lazy.compactMap(\.inputWidth).first
        case .relu, .gelu, .tanh, .sigmoid, .dropout, .embedding, .gpt: nil
        }
    }

    /// The width of the last output dimension, when it is fixed.
    public var outputWidth: Int? {
        switch self {
        case let .linear(_, outputs, _): outputs
        case let .layerNorm(features, _, _): features
        case let .embedding(_, dimension): dimension
        case let .causalSelfAttention(channels, _, _), let .transformerBlock(channels, _, _): channels
        case let .sequential(layers): layers.reversed().lazy.compactMap(\.outputWidth).first
        case let .gpt(settings): settings.vocabulary
        case .relu, .gelu, .tanh, .sigmoid, .dropout: nil
        }
    }
}
