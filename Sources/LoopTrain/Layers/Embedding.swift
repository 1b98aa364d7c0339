import LoopSupport

/// A lookup table: each input element is a token id (an integer stored as a float) and becomes
/// the row `weight[id]`; the output has the input's shape plus a trailing `dimension`.
///
/// The input is not differentiable; `backward` scatters the gradient rows into the table (in
/// input order, so repeated ids accumulate deterministically) and returns zeros.
public final class Embedding: Layer {
    public let vocabulary: Int
    public let dimension: Int
    /// `[vocabulary, dimension]`.
    public let weight: ModelParameter
    private var ids = Tensor(shape: [0])

    /// Rows initialised N(0, std²) (PyTorch's default is std 1; GPT recipes use 0.02).
    public init(vocabulary: Int, dimension: Int, std: Float = 1, rng: inout SeededRandom) {
        self.vocabulary = vocabulary
        self.dimension = dimension
        weight = ModelParameter(name: "weight", value: .randn([vocabulary, dimension], std: std, rng: &rng))
    }

    public var parameters: [ModelParameter] { [weight] }
    public var config: LayerConfig { .embedding(vocabulary: vocabulary, dimension: dimension) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var y = Tensor(uninitializedShape: x.shape + [dimension])
        let d = dimension
        y.withUnsafeMutableBufferPointer { yp in
            weight.value.withUnsafeBufferPointer { wp in
                x.withUnsafeBufferPointer { xp in
                    for (i, v) in xp.enumerated() {
                        let id = Int(v)
                        precondition(id >= 0 && id < vocabulary && Float(id) == v, "token id \(v) outside 0..<\(vocabulary)")
                        (yp.baseAddress! + i * d).update(from: wp.baseAddress! + id * d, count: d)
                    }
                }
            }
        }
        if training { ids = x }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.count == ids.count * dimension, "Embedding.backward: gradient shape \(dy.shape) does not match the forward pass")
        let d = dimension
        weight.gradient.withUnsafeMutableBufferPointer { gp in
            dy.withUnsafeBufferPointer { dyp in
                ids.withUnsafeBufferPointer { xp in
                    for (i, v) in xp.enumerated() {
                        let row = gp.baseAddress! + Int(v) * d
                        Kernels.add(d, row, dyp.baseAddress! + i * d, row)
                    }
                }
            }
        }
        return Tensor(shape: ids.shape)
    }
}
