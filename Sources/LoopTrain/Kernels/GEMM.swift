import Synchronization

/// Single-precision general matrix multiply on row-major matrices:
/// `C[m×n] = op(A)[m×k] · op(B)[k×n]` (or `+=` with `accumulate`), where `op(X)` is `X` or `Xᵀ`.
///
/// The three forms a layer needs are `A·B` (forward), `A·Bᵀ` (input gradient) and `Aᵀ·B` (weight
/// gradient); all of them go through the same packed path, since packing absorbs the transpose.
///
/// Structure (after Goto & van de Geijn, and BLIS): the `n` dimension is cut into `nc`-column
/// blocks and `k` into `kc`-deep slices; each `kc × nc` block of op(B) is packed once into 32-wide
/// micro-panels (shared by all threads, sized for L2/L3), then each `mc × kc` block of op(A) is
/// packed into 6-high micro-panels (per thread, sized for L2), and the 6×32 microkernel sweeps the
/// block with one B micro-panel resident in L1.
///
/// Threads split C by output tiles (blocks of rows, or of column panels when there are too few
/// rows), and every element is accumulated over k in the same order whatever the thread count, so
/// results are bit-identical for any number of threads.
public enum GEMM {
    /// Cache-blocking parameters. `mc` must be a multiple of 6 and `nc` of 32.
    public struct Blocking: Sendable, Equatable {
        public var mc: Int
        public var kc: Int
        public var nc: Int
        /// Block sizes: `mc` rows of A (multiple of 6), `kc` of the shared dimension, `nc` columns of B (multiple of 32).
        public init(mc: Int, kc: Int, nc: Int) {
            precondition(mc > 0 && mc % GEMM.mr == 0 && nc > 0 && nc % GEMM.nr == 0 && kc > 0)
            self.mc = mc; self.kc = kc; self.nc = nc
        }
        /// Tuned on the development machine (48 KiB L1d, 1 MiB L2 per core): a 256×32 B micro-panel
        /// (32 KiB) stays in L1 and a 144×256 A block (144 KiB) in L2.
        public static let `default` = Blocking(mc: 144, kc: 256, nc: 3072)
    }

    /// Below this many multiply-adds (about 5 µs of one core's work) a call runs on one thread:
    /// handing half of it to a worker saves less than the hand-off can cost on a busy machine.
    public static let parallelThreshold = 1 << 20

    /// `C = op(A)·op(B)` (or `C += ...` when `accumulate`), row-major with leading dimensions.
    ///
    /// - Parameters:
    ///   - transA: `op(A) = Aᵀ`; A is then stored `k × m` (`lda ≥ m`), else `m × k` (`lda ≥ k`).
    ///   - transB: `op(B) = Bᵀ`; B is then stored `n × k` (`ldb ≥ k`), else `k × n` (`ldb ≥ n`).
    ///   - maxThreads: at most this many threads of `pool` take part.
    public static func sgemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
        pool: ThreadPool = .shared, maxThreads: Int = .max, blocking: Blocking = .default
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "negative GEMM dimension")
        precondition(lda >= (transA ? m : k) && ldb >= (transB ? k : n) && ldc >= n, "leading dimension too small")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        let threads = m * n * k < parallelThreshold ? 1 : min(pool.activeThreads, maxThreads)
        let (kc, nc) = (blocking.kc, blocking.nc)
        // Row blocks: as few as fit the blocking, a multiple of the thread count, equal in size
        // (rounded up to 6 rows) — so every thread gets the same share and none idles at the end.
        let blocksPerThread = (m + threads * blocking.mc - 1) / (threads * blocking.mc)
        let rowsPerBlock = (m + threads * blocksPerThread - 1) / (threads * blocksPerThread)
        let mc = min(blocking.mc, max(mr, (rowsPerBlock + mr - 1) / mr * mr))
        let workspace = Workspace.take(threads: threads, aCount: mc * kc, bCount: kc * nc)
        defer { Workspace.give(workspace) }
        let packedB = workspace.b.pointer

        var jc = 0
        while jc < n {
            let ncCur = min(nc, n - jc)
            let panels = (ncCur + nr - 1) / nr
            var pc = 0
            while pc < k {
                let kcCur = min(kc, k - pc)
                let overwrite = pc == 0 && !accumulate
                pool.parallelFor(panels, maxThreads: threads) { panel, _ in
                    packBPanel(b, ldb: ldb, transposed: transB, j: jc + panel * nr, width: min(nr, ncCur - panel * nr),
                               p0: pc, kc: kcCur, into: packedB + panel * kcCur * nr)
                }
                let rowBlocks = (m + mc - 1) / mc
                // Too few row blocks to occupy every thread: also split the column panels.
                let columnChunks = rowBlocks >= threads ? 1 : min(panels, threads)
                pool.parallelFor(rowBlocks * columnChunks, maxThreads: threads) { task, thread in
                    let block = task / columnChunks, chunk = task % columnChunks
                    let i0 = block * mc, mcCur = min(mc, m - i0)
                    let packedA = workspace.a[thread].pointer
                    packA(a, lda: lda, transposed: transA, i0: i0, rows: mcCur, p0: pc, kc: kcCur, into: packedA)
                    let firstPanel = chunk * panels / columnChunks, endPanel = (chunk + 1) * panels / columnChunks
                    for panel in firstPanel..<endPanel {
                        let j = panel * nr, width = min(nr, ncCur - j)
                        let bp = UnsafePointer(packedB + panel * kcCur * nr)
                        var ir = 0
                        while ir < mcCur {
                            let height = min(mr, mcCur - ir)
                            let ap = UnsafePointer(packedA + ir * kcCur)
                            let cp = c + (i0 + ir) * ldc + jc + j
                            if height == mr && width == nr {
                                microkernel(kc: kcCur, a: ap, b: bp, c: cp, ldc: ldc, overwrite: overwrite)
                            } else {
                                edgeKernel(kc: kcCur, a: ap, b: bp, c: cp, ldc: ldc, rows: height, cols: width,
                                           overwrite: overwrite)
                            }
                            ir += mr
                        }
                    }
                }
                pc += kc
            }
            jc += nc
        }
    }

    /// Packing buffers, reused across calls: allocating (and page-faulting) a megabyte per call
    /// would cost more than a small multiply. A lock-protected free list keeps concurrent callers
    /// on separate buffers.
    final class Workspace: @unchecked Sendable {
        var a: [AlignedStorage]
        var b: AlignedStorage
        init(threads: Int, aCount: Int, bCount: Int) {
            a = (0..<threads).map { _ in AlignedStorage(count: aCount) }
            b = AlignedStorage(count: bCount)
        }

        private static let free = Mutex<[Workspace]>([])

        static func take(threads: Int, aCount: Int, bCount: Int) -> Workspace {
            let ws = free.withLock { $0.popLast() } ?? Workspace(threads: threads, aCount: aCount, bCount: bCount)
            if ws.b.count < bCount { ws.b = AlignedStorage(count: bCount) }
            while ws.a.count < threads { ws.a.append(AlignedStorage(count: aCount)) }
            for t in 0..<threads where ws.a[t].count < aCount { ws.a[t] = AlignedStorage(count: aCount) }
            return ws
        }

        static func give(_ ws: Workspace) {
            free.withLock { $0.append(ws) }
        }
    }
}
