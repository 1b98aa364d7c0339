import LoopSupport

/// Layers applied in order; backward runs them in reverse.
public final class Sequential: Layer {
    /// The layers, applied first to last.
    public let layers: [any Layer]

    /// Parameter names become `<index>.<name>` (e.g. `0.weight`), as in PyTorch's `nn.Sequential`.
    public init(_ layers: [any Layer]) {
        self.layers = layers
        for (i, layer) in layers.enumerated() {
            for p in layer.parameters where !p.name.hasPrefix("\(i).") { p.name = "\(i).\(p.name)" }
        }
    }

    public var parameters: [ModelParameter] { layers.flatMap(\.parameters) }
    public var config: LayerConfig { .sequential(layers.map(\.config)) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        layers.reduce(x) { $1.forward($0, training: training) }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        layers.reversed().reduce(dy) { $1.backward($0) }
    }

    /// The first layer's input is the data, so it is asked for its parameter gradients only.
    public func backwardParameters(_ dy: Tensor) {
        guard let first = layers.first else { return }
        first.backwardParameters(layers.dropFirst().reversed().reduce(dy) { $1.backward($0) })
    }
}

/// An activation function by name, for `mlp`.
public enum Activation: String, Sendable, CaseIterable {
    case relu, gelu, tanh, sigmoid

    func layer() -> any Layer {
        switch self {
        case .relu: ReLU()
        case .gelu: GELU()
        case .tanh: Tanh()
        case .sigmoid: Sigmoid()
        }
    }
}

/// A multilayer perceptron: `Linear` layers of the given widths with `activation` between them
/// (none after the last), optionally with dropout after each activation.
public func mlp(inputs: Int, hidden: [Int], outputs: Int, activation: Activation = .relu,
                dropout: Float = 0, seed: UInt64) -> Sequential {
    var rng = SeededRandom(seed: seed)
    var layers: [any Layer] = []
    var width = inputs
    for h in hidden {
        layers.append(Linear(inputs: width, outputs: h, rng: &rng))
        layers.append(activation.layer())
        if dropout > 0 { layers.append(Dropout(rate: dropout, rng: &rng)) }
        width = h
    }
    layers.append(Linear(inputs: width, outputs: outputs, rng: &rng))
    return Sequential(layers)
}
