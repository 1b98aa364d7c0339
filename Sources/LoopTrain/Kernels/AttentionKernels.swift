// Causal attention for one (sequence, head) pair, fused: scores, scale, mask, softmax and the
// weighted sum of values in one pass per query row, and the whole backward pass in one pass too.
//
// Why not GEMM calls: a character-level model's heads are small (T = 32 positions, d = 16
// channels), so each product is a few thousand multiply-adds and the GEMM machinery (packing,
// edge tiles, workspace) cost more than the arithmetic — attention was over a quarter of a GPT
// step that way. Here the head's rows are copied once into zero-padded scratch (rows padded to a
// multiple of 16 channels, so every vector operation is a whole `SIMD16`), and causal rows stop at
// the diagonal's 16-wide chunk.
//
// Layout: q, k and v rows start `stride` floats apart (inside the fused qkv activation); the
// probabilities are kept `t × paddedTime` (row i holds P[i, 0...i], zeros after), the form the
// backward pass reads.

extension Kernels {
    /// `n` rounded up to a multiple of 16.
    @inline(__always) static func padded16(_ n: Int) -> Int { (n + 15) & ~15 }

    /// Floats of scratch `attentionForward` and `attentionBackward` need for `time` positions of `dim` channels.
    public static func attentionScratchCount(time: Int, dim: Int) -> Int {
        6 * time * padded16(dim) + dim * padded16(time) + 2 * padded16(time)
    }

    /// Copies `rows` rows of `count` floats (`stride` apart) into rows of `padded16(count)`, zero-filled.
    /// (Row by row with vector moves: a head's rows are a few floats, where a `memmove` call per
    /// row cost more than the copy.)
    @inline(__always) static func gatherRows(_ rows: Int, _ count: Int, from src: UnsafePointer<Float>, stride: Int,
                                             into dst: UnsafeMutablePointer<Float>) {
        let width = padded16(count)
        for r in 0..<rows {
            let from = src + r * stride, to = dst + r * width
            var c = 0
            while c + 16 <= count { store16(load16(from + c), to + c); c += 16 }
            if c < count { store16(loadPartial(from + c, count - c), to + c) }
        }
    }

    /// Copies `rows` rows of `count` floats from rows of `padded16(count)` to rows `stride` apart.
    @inline(__always) static func scatterRows(_ rows: Int, _ count: Int, from src: UnsafePointer<Float>,
                                              into dst: UnsafeMutablePointer<Float>, stride: Int) {
        let width = padded16(count)
        for r in 0..<rows {
            let from = src + r * width, to = dst + r * stride
            var c = 0
            while c + 16 <= count { store16(load16(from + c), to + c); c += 16 }
            if c < count { storePartial(load16(from + c), to + c, count - c) }
        }
    }

    /// Causal softmax of one row of scores in place: `row[j] = softmax(scale · row)[j]` for
    /// j ≤ `last`, 0 for the rest of the `padded` row.
    ///
    /// Kept out of line: the attention loops around it stay small enough to be optimised whole.
    @inline(never) static func causalSoftmaxRow(_ row: UnsafeMutablePointer<Float>, last: Int, padded: Int, scale: Float) {
        let chunks = last / 16 + 1
        // In the diagonal chunk push j > last far below every score (`keep` is 1 for j ≤ last,
        // else 0), so the max-subtracted exponentials give them exactly 0.
        let keep = laneMask(last + 1 - (chunks - 1) * 16)
        var maxima = V16(repeating: -.greatestFiniteMagnitude)
        for c in 0..<chunks {
            var s = load16(row + c * 16) * scale
            if c == chunks - 1 { s = s * keep + (keep - 1) * 1e30 }
            store16(s, row + c * 16)
            maxima = vmax(maxima, s)
        }
        let m = V16(repeating: hmax(maxima))
        var sums = V16()
        for c in 0..<chunks {
            var e = vexp(load16(row + c * 16) - m)
            if c == chunks - 1 { e *= keep }
            store16(e, row + c * 16)
            sums += e
        }
        let inv = V16(repeating: 1 / hsum(sums))
        for c in 0..<chunks { store16(load16(row + c * 16) * inv, row + c * 16) }
        (row + chunks * 16).update(repeating: 0, count: padded - chunks * 16)
    }

    /// `dst[p * paddedTime + j] = src[j * stride + p]` for p < dim, j < time; zero for j ≥ time.
    @inline(__always) static func gatherTransposed(_ time: Int, _ dim: Int, from src: UnsafePointer<Float>, stride: Int,
                                                   into dst: UnsafeMutablePointer<Float>) {
        let width = padded16(time)
        for p in 0..<dim {
            let o = dst + p * width
            for j in 0..<time { o[j] = src[j * stride + p] }
            (o + time).update(repeating: 0, count: width - time)
        }
    }

    // The two sums below run four partial sums (terms p ≡ 0, 1, 2, 3 mod 4) and add them at the
    // end: one running sum would be a chain of dependent FMAs, bound by their latency (4 cycles)
    // instead of their throughput (2 per cycle). The order is fixed, so results stay deterministic.

    /// `row[c] = Σ_p x[p] · columns[p][c]` for the 16-wide chunks `0..<chunks` (`columns` rows `width` apart).
    @inline(__always) static func rowTimesColumns(_ x: UnsafePointer<Float>, dim: Int, _ columns: UnsafePointer<Float>,
                                                  width: Int, chunks: Int, into row: UnsafeMutablePointer<Float>) {
        for c in 0..<chunks {
            store16(fourWaySum(dim, x, columns + c * 16, stride: width), row + c * 16)
        }
    }

    /// `out[0..<width] = Σ_{j < count} weights[j] · rows[j]` (rows `width` apart, `width` a multiple of 16).
    @inline(__always) static func weightedRowSum(_ count: Int, _ weights: UnsafePointer<Float>, _ rows: UnsafePointer<Float>,
                                                 width: Int, into out: UnsafeMutablePointer<Float>) {
        var chunk = 0
        while chunk < width {
            store16(fourWaySum(count, weights, rows + chunk, stride: width), out + chunk)
            chunk += 16
        }
    }

    /// `Σ_{j < count} weights[j] · vectors[j]`, the 16-float vectors `stride` apart.
    @inline(__always) static func fourWaySum(_ count: Int, _ weights: UnsafePointer<Float>, _ vectors: UnsafePointer<Float>,
                                             stride: Int) -> V16 {
        var s0 = V16(), s1 = V16(), s2 = V16(), s3 = V16()
        var v = vectors
        var j = 0
        while j + 4 <= count {
            s0.addProduct(V16(repeating: weights[j]), load16(v))
            s1.addProduct(V16(repeating: weights[j + 1]), load16(v + stride))
            s2.addProduct(V16(repeating: weights[j + 2]), load16(v + 2 * stride))
            s3.addProduct(V16(repeating: weights[j + 3]), load16(v + 3 * stride))
            v += 4 * stride
            j += 4
        }
        while j < count {
            s0.addProduct(V16(repeating: weights[j]), load16(v))
            v += stride
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// `y += alpha · x` over `width` floats (a multiple of 16).
    @inline(__always) static func axpy16(_ width: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let a = V16(repeating: alpha)
        var i = 0
        while i < width {
            var acc = load16(y + i)
            acc.addProduct(a, load16(x + i))
            store16(acc, y + i)
            i += 16
        }
    }

    /// Forward pass of causal attention for one head: for each position i,
    /// `P[i] = softmax(scale · q_i·k_jᵀ, j ≤ i)` and `out_i = Σ_j P[i, j] · v_j`.
    ///
    /// - Parameters:
    ///   - q, k, v: the first row of each; rows are `stride` floats apart and `dim` long.
    ///   - probabilities: `time × padded16(time)`, written (kept for the backward pass).
    ///   - out: the first output row; rows `outStride` apart, `dim` written per row.
    ///   - scratch: `attentionScratchCount(time:dim:)` floats.
    public static func attentionForward(
        time t: Int, dim d: Int, scale: Float,
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, stride: Int,
        probabilities: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, outStride: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let dp = padded16(d), tp = padded16(t)
        let qs = scratch, vs = qs + t * dp, ys = vs + t * dp, kt = ys + t * dp
        gatherRows(t, d, from: q, stride: stride, into: qs)
        gatherRows(t, d, from: v, stride: stride, into: vs)
        gatherTransposed(t, d, from: k, stride: stride, into: kt)
        for i in 0..<t {
            let chunks = i / 16 + 1
            let p = probabilities + i * tp
            rowTimesColumns(qs + i * dp, dim: d, kt, width: tp, chunks: chunks, into: p)
            causalSoftmaxRow(p, last: i, padded: tp, scale: scale)
            weightedRowSum(i + 1, p, vs, width: dp, into: ys + i * dp)  // out_i = Σ_{j ≤ i} P[i, j] v_j
        }
        scatterRows(t, d, from: ys, into: out, stride: outStride)
    }

    /// Backward pass of `attentionForward` for one head, given `dOut` (rows `outStride` apart):
    /// writes `dq`, `dk`, `dv` (rows `stride` apart, `dim` each, overwritten).
    ///
    /// With `dP = dOut·Vᵀ` and `dS = scale · P ⊙ (dP − rowsum(P ⊙ dP))`: `dV = Pᵀ·dOut`,
    /// `dQ = dS·K`, `dK = dSᵀ·Q`. Masked entries have P = 0, so they contribute nothing.
    public static func attentionBackward(
        time t: Int, dim d: Int, scale: Float,
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, stride: Int,
        probabilities: UnsafePointer<Float>, dOut: UnsafePointer<Float>, outStride: Int,
        dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let dp = padded16(d), tp = padded16(t)
        let qs = scratch, ks = qs + t * dp, gs = ks + t * dp, dks = gs + t * dp, dvs = dks + t * dp, dqRow = dvs + t * dp
        let vt = dqRow + t * dp, ds = vt + d * tp
        gatherRows(t, d, from: q, stride: stride, into: qs)
        gatherRows(t, d, from: k, stride: stride, into: ks)
        gatherRows(t, d, from: dOut, stride: outStride, into: gs)
        gatherTransposed(t, d, from: v, stride: stride, into: vt)
        dks.update(repeating: 0, count: 2 * t * dp)  // dK and dV accumulate over query rows
        for i in 0..<t {
            let chunks = i / 16 + 1
            let p = probabilities + i * tp
            let g = gs + i * dp
            rowTimesColumns(g, dim: d, vt, width: tp, chunks: chunks, into: ds)  // dP[i, :]
            var dots = V16()
            for c in 0..<chunks { dots.addProduct(load16(p + c * 16), load16(ds + c * 16)) }
            let dot = V16(repeating: hsum(dots))
            for c in 0..<chunks {
                store16(scale * load16(p + c * 16) * (load16(ds + c * 16) - dot), ds + c * 16)
            }
            weightedRowSum(i + 1, ds, ks, width: dp, into: dqRow + i * dp)  // dQ_i = Σ_j dS[i, j] k_j
            let qi = qs + i * dp
            for j in 0...i {
                axpy16(dp, p[j], g, dvs + j * dp)
                axpy16(dp, ds[j], qi, dks + j * dp)
            }
        }
        scatterRows(t, d, from: dqRow, into: dq, stride: stride)
        scatterRows(t, d, from: dks, into: dk, stride: stride)
        scatterRows(t, d, from: dvs, into: dv, stride: stride)
    }
}
