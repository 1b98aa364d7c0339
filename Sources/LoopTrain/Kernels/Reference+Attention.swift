#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ReferenceKernels {
    /// Causal attention for one head on `t × d` row-major q, k, v: the output rows and the
    /// probabilities (`t × t`, zero above the diagonal), in `Double` throughout.
    public static func attention(t: Int, d: Int, scale: Float, q: [Float], k: [Float], v: [Float])
        -> (out: [Float], probabilities: [Float]) {
        var out = [Float](repeating: 0, count: t * d), probabilities = [Float](repeating: 0, count: t * t)
        for i in 0..<t {
            let logits: [Double] = (0...i).map { j in
                (0..<d).reduce(0.0) { $0 + Double(q[i * d + $1]) * Double(k[j * d + $1]) } * Double(scale)
            }
            let top = logits.max()!
            let scores = logits.map { libmExp($0 - top) }
            let total = scores.reduce(0, +)
            for j in 0...i { probabilities[i * t + j] = Float(scores[j] / total) }
            for c in 0..<d {
                out[i * d + c] = Float((0...i).reduce(0.0) { $0 + scores[$1] / total * Double(v[$1 * d + c]) })
            }
        }
        return (out, probabilities)
    }

    /// Gradients of `attention` with respect to q, k and v, given the output gradient.
    public static func attentionBackward(t: Int, d: Int, scale: Float, q: [Float], k: [Float], v: [Float], dOut: [Float])
        -> (dq: [Float], dk: [Float], dv: [Float]) {
        let p = attention(t: t, d: d, scale: scale, q: q, k: k, v: v).probabilities.map(Double.init)
        var dq = [Double](repeating: 0, count: t * d), dk = dq, dv = dq
        for i in 0..<t {
            let dP = (0...i).map { j in (0..<d).reduce(0.0) { $0 + Double(dOut[i * d + $1]) * Double(v[j * d + $1]) } }
            let dot = (0...i).reduce(0.0) { $0 + p[i * t + $1] * dP[$1] }
            for j in 0...i {
                let dS = Double(scale) * p[i * t + j] * (dP[j] - dot)
                for c in 0..<d {
                    dv[j * d + c] += p[i * t + j] * Double(dOut[i * d + c])
                    dq[i * d + c] += dS * Double(k[j * d + c])
                    dk[j * d + c] += dS * Double(q[i * d + c])
                }
            }
        }
        return (dq.map(Float.init), dk.map(Float.init), dv.map(Float.init))
    }
}

/// libm's exp (inside `ReferenceKernels` the name `exp` is its Float member).
private func libmExp(_ x: Double) -> Double { exp(x) }
