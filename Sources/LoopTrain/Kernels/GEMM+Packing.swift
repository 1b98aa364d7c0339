// Packing copies a block of A or B into the exact order the microkernel reads it, so the inner
// loop walks memory strictly sequentially whatever the transpose form and leading dimension of
// the caller's matrix. Partial panels are zero-padded, so the microkernel never branches on size.

extension GEMM {
    /// Packs rows `i0..<i0+rows` × k-range `p0..<p0+kc` of op(A) into 6-row micro-panels:
    /// `dst[panel*kc*6 + p*6 + r] = op(A)[i0 + panel*6 + r, p0 + p]`.
    static func packA(
        _ a: UnsafePointer<Float>, lda: Int, transposed: Bool,
        i0: Int, rows: Int, p0: Int, kc: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        var panelStart = 0
        var out = dst
        while panelStart < rows {
            let height = min(mr, rows - panelStart)
            let i = i0 + panelStart
            if transposed {
                // op(A)[i, p] = a[p*lda + i]: each k step is a short contiguous run.
                for p in 0..<kc {
                    let src = a + (p0 + p) * lda + i
                    let o = out + p * mr
                    if height == mr {
                        o[0] = src[0]; o[1] = src[1]; o[2] = src[2]; o[3] = src[3]; o[4] = src[4]; o[5] = src[5]
                    } else {
                        for r in 0..<mr { o[r] = r < height ? src[r] : 0 }
                    }
                }
            } else if height == mr {
                // op(A)[i, p] = a[i*lda + p]: six row streams, one contiguous 6-float store per k.
                // Written k-outer on purpose: the row-outer form auto-vectorises into scatters,
                // which are slow on AMD cores.
                var r0 = a + i * lda + p0
                var r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
                var o = out
                for _ in 0..<kc {
                    o[0] = r0.pointee; o[1] = r1.pointee; o[2] = r2.pointee
                    o[3] = r3.pointee; o[4] = r4.pointee; o[5] = r5.pointee
                    r0 += 1; r1 += 1; r2 += 1; r3 += 1; r4 += 1; r5 += 1
                    o += mr
                }
            } else {
                for p in 0..<kc {
                    let o = out + p &* mr
                    for r in 0..<mr { o[r] = r < height ? a[(i &+ r) &* lda &+ p0 &+ p] : 0 }
                }
            }
            out += kc * mr
            panelStart += mr
        }
    }

    /// Packs the 32-column micro-panel starting at column `j` (of which `width` exist) × k-range
    /// `p0..<p0+kc` of op(B): `dst[p*32 + jj] = op(B)[p0 + p, j + jj]`.
    static func packBPanel(
        _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool,
        j: Int, width: Int, p0: Int, kc: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        typealias V = SIMD16<Float>
        if transposed {
            // op(B)[p, j] = b[j*ldb + p]: 32 source rows. Blocks of 8 k steps keep the 32 rows'
            // current cache lines hot while each destination row of 32 floats is written whole.
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: nr) { rows in
                for jj in 0..<nr { rows[jj] = b + (jj < width ? (j + jj) : j) * ldb + p0 }
                var p = 0
                while p < kc {
                    let o = dst + p &* nr
                    if width == nr {
                        for jj in 0..<nr { o[jj] = rows[jj][p] }
                    } else {
                        for jj in 0..<nr { o[jj] = jj < width ? rows[jj][p] : 0 }
                    }
                    p &+= 1
                }
            }
        } else if width == nr {
            for p in 0..<kc {
                let src = UnsafeRawPointer(b + (p0 + p) * ldb + j)
                let o = UnsafeMutableRawPointer(dst + p * nr)
                o.storeBytes(of: src.loadUnaligned(as: V.self), as: V.self)
                o.storeBytes(of: src.loadUnaligned(fromByteOffset: 64, as: V.self), toByteOffset: 64, as: V.self)
            }
        } else {
            for p in 0..<kc {
                let src = b + (p0 + p) * ldb + j
                let o = dst + p * nr
                for jj in 0..<nr { o[jj] = jj < width ? src[jj] : 0 }
            }
        }
    }
}
