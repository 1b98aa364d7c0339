/// Multi-head causal self-attention (as in GPT-2 / nanoGPT) on `[batch, time, channels]`:
/// `q, k, v = split(x·W_qkvᵀ)`, per head `softmax(q·kᵀ/√d + causal mask)·v`, heads concatenated,
/// then `·W_projᵀ`. Position `t` attends to positions `0...t` only.
///
/// Every (sequence, head) pair is independent and writes disjoint outputs, so the pairs are spread
/// over the thread pool and the result does not depend on the thread count.
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
    public init(channels: Int, heads: Int, bias: Bool = false, rng: inout Xoshiro256) {
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
        var probabilities = Tensor(shape: [b, h, t, t])
        var y = Tensor(shape: [b, t, c])
        qkvOut.withUnsafeBufferPointer { qkvp in
            probabilities.withUnsafeMutableBufferPointer { pp in
                y.withUnsafeMutableBufferPointer { yp in
                    let base = qkvp.baseAddress!, probs = pp.baseAddress!, out = yp.baseAddress!
                    ThreadPool.shared.parallelFor(b * h) { task, _ in
                        let (bi, hi) = (task / h, task % h)
                        let q = base + bi * t * 3 * c + hi * d, k = q + c, v = q + 2 * c
                        let s = probs + task * t * t
                        GEMM.sgemm(transB: true, m: t, n: t, k: d, a: q, lda: 3 * c, b: k, ldb: 3 * c, c: s, ldc: t, maxThreads: 1)
                        for i in 0..<t {
                            let row = s + i * t
                            Kernels.scale(i + 1, alpha: scale, row, row)
                            Kernels.softmax(rows: 1, cols: i + 1, row, row)
                            (row + i + 1).update(repeating: 0, count: t - i - 1)
                        }
                        GEMM.sgemm(m: t, n: d, k: t, a: s, lda: t, b: v, ldb: 3 * c, c: out + bi * t * c + hi * d, ldc: c,
                                   maxThreads: 1)
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
        var dqkv = Tensor(shape: [b, t, 3 * c])
        qkvOut.withUnsafeBufferPointer { qkvp in
            probabilities.withUnsafeBufferPointer { pp in
                dy.withUnsafeBufferPointer { dyp in
                    dqkv.withUnsafeMutableBufferPointer { dp in
                        let base = qkvp.baseAddress!, probs = pp.baseAddress!, dyBase = dyp.baseAddress!, dBase = dp.baseAddress!
                        ThreadPool.shared.parallelFor(b * h) { task, _ in
                            let (bi, hi) = (task / h, task % h)
                            let offset = bi * t * 3 * c + hi * d
                            let q = base + offset, k = q + c, v = q + 2 * c
                            let dq = dBase + offset, dk = dq + c, dv = dq + 2 * c
                            let p = probs + task * t * t
                            let g = dyBase + bi * t * c + hi * d
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: t * t) { scratch in
                                let ds = scratch.baseAddress!
                                // dP = dY·Vᵀ, dV = Pᵀ·dY
                                GEMM.sgemm(transB: true, m: t, n: t, k: d, a: g, lda: c, b: v, ldb: 3 * c, c: ds, ldc: t, maxThreads: 1)
                                GEMM.sgemm(transA: true, m: t, n: d, k: t, a: p, lda: t, b: g, ldb: c, c: dv, ldc: 3 * c, maxThreads: 1)
                                // Softmax backward, with the 1/√d of the scores folded in:
                                // dS = scale · P ⊙ (dP − Σ_j P·dP). Masked entries have P = 0, so dS = 0 there.
                                for i in 0..<t {
                                    let pr = p + i * t, dr = ds + i * t
                                    var dot: Float = 0
                                    for j in 0...i { dot += pr[j] * dr[j] }
                                    for j in 0..<t { dr[j] = scale * pr[j] * (dr[j] - dot) }
                                }
                                // dQ = dS·K, dK = dSᵀ·Q
                                GEMM.sgemm(m: t, n: d, k: t, a: ds, lda: t, b: k, ldb: 3 * c, c: dq, ldc: 3 * c, maxThreads: 1)
                                GEMM.sgemm(transA: true, m: t, n: d, k: t, a: ds, lda: t, b: q, ldb: 3 * c, c: dk, ldc: 3 * c, maxThreads: 1)
                            }
                        }
                    }
                }
            }
        }
        return qkv.backward(dqkv)
    }
}
