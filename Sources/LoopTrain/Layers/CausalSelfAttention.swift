import LoopSupport

/// Multi-head causal self-attention (as in GPT-2 / nanoGPT) on `[batch, time, channels]`:
/// `q, k, v = split(x·W_qkvᵀ)`, per head `softmax(q·kᵀ/√d + causal mask)·v`, heads concatenated,
/// then `·W_projᵀ`. Position `t` attends to positions `0...t` only.
///
/// Every (sequence, head) pair is independent and writes disjoint outputs, so the pairs are spread
/// over the thread pool and the result does not depend on the thread count. Each pair runs the
/// fused kernels in AttentionKernels.swift (small heads make GEMM calls all overhead).
public final class CausalSelfAttention: Layer {
    public let channels: Int
    public let heads: Int
    /// `c_attn`: channels → 3·channels (queries, keys, values, in that order).
    public let qkv: Linear
    /// `c_proj`: channels → channels.
    public let projection: Linear
    private var qkvOut = Tensor(shape: [0])
    private var probabilities = Tensor(shape: [0])
    private var shape = (batch: 0, time: 0)

    /// Attention over `channels` split into `heads` heads (`channels` must divide evenly).
    public init(channels: Int, heads: Int, bias: Bool = false, rng: inout SeededRandom) {
        precondition(heads > 0 && channels % heads == 0, "channels (\(channels)) must be a multiple of heads (\(heads))")
        self.channels = channels
        self.heads = heads
        qkv = Linear(inputs: channels, outputs: 3 * channels, bias: bias, rng: &rng)
        projection = Linear(inputs: channels, outputs: channels, bias: bias, rng: &rng)
        qkv.weight.name = "c_attn.weight"; qkv.bias?.name = "c_attn.bias"
        projection.weight.name = "c_proj.weight"; projection.bias?.name = "c_proj.bias"
    }

    public var parameters: [ModelParameter] { qkv.parameters + projection.parameters }
    public var config: LayerConfig { .causalSelfAttention(channels: channels, heads: heads, bias: qkv.bias != nil) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == channels, "attention expects [batch, time, \(channels)], got \(x.shape)")
        let (b, t, c, h) = (x.shape[0], x.shape[1], channels, heads)
        let d = c / h
        let scale = 1 / Float(d).squareRoot()
        let qkvOut = qkv.forward(x, training: training)
        let paddedTime = Kernels.padded16(t)
        var probabilities = Tensor(uninitializedShape: [b, h, t, paddedTime])
        var y = Tensor(uninitializedShape: [b, t, c])
        let scratchCount = Kernels.attentionScratchCount(time: t, dim: d)
        qkvOut.withUnsafeBufferPointer { qkvp in
            probabilities.withUnsafeMutableBufferPointer { pp in
                y.withUnsafeMutableBufferPointer { yp in
                    let base = qkvp.baseAddress!, probs = pp.baseAddress!, out = yp.baseAddress!
                    ThreadPool.shared.parallelFor(b * h) { task, _ in
                        let (bi, hi) = (task / h, task % h)
                        let q = base + bi * t * 3 * c + hi * d
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { scratch in
                            Kernels.attentionForward(time: t, dim: d, scale: scale, q: q, k: q + c, v: q + 2 * c, stride: 3 * c,
                                                     probabilities: probs + task * t * paddedTime,
                                                     out: out + bi * t * c + hi * d, outStride: c, scratch: scratch.baseAddress!)
                        }
                    }
                }
            }
        }
        if training {
            self.qkvOut = qkvOut
            self.probabilities = probabilities
            shape = (b, t)
        }
        return projection.forward(y, training: training)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let dy = projection.backward(outputGradient)
        let (b, t, c, h) = (shape.batch, shape.time, channels, heads)
        let d = c / h
        let scale = 1 / Float(d).squareRoot()
        let paddedTime = Kernels.padded16(t)
        let scratchCount = Kernels.attentionScratchCount(time: t, dim: d)
        var dqkv = Tensor(uninitializedShape: [b, t, 3 * c])
        qkvOut.withUnsafeBufferPointer { qkvp in
            probabilities.withUnsafeBufferPointer { pp in
                dy.withUnsafeBufferPointer { dyp in
                    dqkv.withUnsafeMutableBufferPointer { dp in
                        let base = qkvp.baseAddress!, probs = pp.baseAddress!, dyBase = dyp.baseAddress!, dBase = dp.baseAddress!
                        ThreadPool.shared.parallelFor(b * h) { task, _ in
                            let (bi, hi) = (task / h, task % h)
                            let offset = bi * t * 3 * c + hi * d
                            let q = base + offset, dq = dBase + offset
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { scratch in
                                Kernels.attentionBackward(time: t, dim: d, scale: scale, q: q, k: q + c, v: q + 2 * c, stride: 3 * c,
                                                          probabilities: probs + task * t * paddedTime,
                                                          dOut: dyBase + bi * t * c + hi * d, outStride: c,
                                                          dq: dq, dk: dq + c, dv: dq + 2 * c, scratch: scratch.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        return qkv.backward(dqkv)
    }
}
