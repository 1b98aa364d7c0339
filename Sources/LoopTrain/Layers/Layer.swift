/// A trainable tensor and the gradient accumulated for it by `backward`.
///
/// A class, so a layer, an optimiser and a checkpoint all see the same parameter: the optimiser
/// updates `value` in place, and the next forward pass uses it.
public final class ModelParameter {
    /// A dotted path such as `layers.0.weight`, unique within a model (set by the container).
    public var name: String
    /// The current value.
    public var value: Tensor
    /// ∂loss/∂value, accumulated by `backward` until `zeroGradient()`.
    public var gradient: Tensor
    /// Whether weight decay applies: true for matrices (rank ≥ 2), false for biases and norm
    /// gains, the rule nanoGPT and most transformer recipes use.
    public var decays: Bool

    /// A parameter with a zero gradient; `decays` defaults to `value.rank >= 2`.
    public init(name: String, value: Tensor, decays: Bool? = nil) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
        self.decays = decays ?? (value.rank >= 2)
    }

    /// Sets the gradient to zero.
    public func zeroGradient() { gradient.zero() }
}

/// A differentiable function with hand-written forward and backward passes.
///
/// Contract: `backward` is called at most once after each `forward(_, training: true)`, with
/// ∂loss/∂output of that forward; it *adds* ∂loss/∂θ into each parameter's `gradient` and returns
/// ∂loss/∂input. Layers act on the last dimension and keep the leading ones (a `[batch, features]`
/// or `[batch, time, features]` input).
public protocol Layer: AnyObject {
    /// The output for `input`; with `training`, also remembers what `backward` needs (and applies
    /// training-only behaviour such as dropout).
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// ∂loss/∂input, given ∂loss/∂output of the last training forward pass.
    func backward(_ outputGradient: Tensor) -> Tensor
    /// `backward` when ∂loss/∂input is not wanted (the layer's input is the data): only the
    /// parameter gradients are accumulated. A layer may skip work here (`Linear` skips a third
    /// of its products); the default calls `backward`.
    func backwardParameters(_ outputGradient: Tensor)
    /// The trainable parameters, in a fixed order (the order of checkpoints and optimiser state).
    var parameters: [ModelParameter] { get }
    /// The architecture, enough to rebuild the layer (its parameters come from a checkpoint).
    var config: LayerConfig { get }
}

extension Layer {
    public var parameters: [ModelParameter] { [] }

    public func backwardParameters(_ outputGradient: Tensor) { _ = backward(outputGradient) }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Zeroes every parameter's gradient.
    public func zeroGradients() { for p in parameters { p.zeroGradient() } }
}
