import Synchronization

/// Single-precision general matrix multiply on row-major matrices:
/// `C[m×n] = op(A)[m×k] · op(B)[k×n]` (or `+=` with `accumulate`), where `op(X)` is `X` or `Xᵀ`.
///
/// The three forms a layer needs are `A·B` (forward), `A·Bᵀ` (input gradient) and `Aᵀ·B` (weight
/// gradient); all of them go through the same packed path, since packing absorbs the transpose.
///
/// Structure (after Goto & van de Geijn, and BLIS): the `n` dimension is cut into `nc`-column
/// blocks and `k` into `kc`-deep slices; each `kc × nc` block of op(B) is packed into 32-wide
/// micro-panels, each `mc × kc` block of op(A) into 6-high micro-panels (sized for L2), and the 6×32
/// microkernel sweeps the block with one B micro-panel resident in L1. The first row block uses
/// each B micro-panel right after packing it, while it is still in L1.
///
/// Threads split C into one rectangle each — column ranges when C is wider than tall, else row
/// ranges — and each runs the serial algorithm on its rectangle with its own packing buffers.
/// Nothing a thread writes is read by another: on this class of machine a packed panel written by
/// one core and read by the other costs more than packing it twice (a 64×256·256×256 product ran
/// slower on two threads than on one when they shared packed B). The redundant packing is the
/// smaller operand's: op(A) for a column split, op(B) for a row split.
///
/// Every element is accumulated over k in the same order whatever the split, so results are
/// bit-identical for any number of threads.
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
        let product = Product(transA: transA, transB: transB, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                              accumulate: accumulate, blocking: blocking)
        let threads = m * n * k < parallelThreshold ? 1 : min(pool.activeThreads, maxThreads)
        let parts = partition(m: m, n: n, threads: threads)
        let workspace = Workspace.take(threads: parts.count, aCount: blocking.mc * blocking.kc,
                                       bCount: blocking.kc * min(blocking.nc, (n + nr - 1) / nr * nr))
        defer { Workspace.give(workspace) }
        if parts.count == 1 {
            product.run(rows: 0..<m, columns: 0..<n, packedA: workspace.a[0].pointer, packedB: workspace.b[0].pointer)
        } else {
            pool.parallelFor(parts.count, maxThreads: threads) { part, thread in
                product.run(rows: parts[part].rows, columns: parts[part].columns,
                            packedA: workspace.a[thread].pointer, packedB: workspace.b[thread].pointer)
            }
        }
    }

    /// One rectangle of C per thread (see the type's comment): column ranges in whole 32-column
    /// panels when C is at least as wide as tall and has a panel per thread, else row ranges in
    /// whole 6-row tiles, each as equal as the granularity allows.
    static func partition(m: Int, n: Int, threads: Int) -> [(rows: Range<Int>, columns: Range<Int>)] {
        let panels = (n + nr - 1) / nr, tiles = (m + mr - 1) / mr
        let byColumns = panels >= threads && (m <= n || tiles < threads)
        let units = byColumns ? panels : tiles, width = byColumns ? nr : mr, extent = byColumns ? n : m
        let count = max(1, min(threads, units))
        return (0..<count).map { t in
            let range = min(extent, t * units / count * width)..<min(extent, (t + 1) * units / count * width)
            return byColumns ? (0..<m, range) : (range, 0..<n)
        }
    }

    /// The operands of one call, and the serial blocked algorithm over a rectangle of C.
    struct Product {
        var transA: Bool, transB: Bool, k: Int
        var a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int
        var c: UnsafeMutablePointer<Float>, ldc: Int
        var accumulate: Bool
        var blocking: Blocking

        func run(rows: Range<Int>, columns: Range<Int>, packedA: UnsafeMutablePointer<Float>,
                 packedB: UnsafeMutablePointer<Float>) {
            let (kc, nc) = (blocking.kc, blocking.nc)
            // Row blocks as few as fit the blocking and equal in size (rounded up to 6 rows), so a
            // short last block does not waste most of a pass over B.
            let blocks = (rows.count + blocking.mc - 1) / blocking.mc
            let mc = min(blocking.mc, max(mr, ((rows.count + blocks - 1) / blocks + mr - 1) / mr * mr))
            var jc = columns.lowerBound
            while jc < columns.upperBound {
                let ncCur = min(nc, columns.upperBound - jc)
                let panels = (ncCur + nr - 1) / nr
                var pc = 0
                while pc < k {
                    let kcCur = min(kc, k - pc)
                    let overwrite = pc == 0 && !accumulate
                    var ic = rows.lowerBound
                    while ic < rows.upperBound {
                        let mcCur = min(mc, rows.upperBound - ic)
                        packA(a, lda: lda, transposed: transA, i0: ic, rows: mcCur, p0: pc, kc: kcCur, into: packedA)
                        for panel in 0..<panels {
                            let j = panel * nr, width = min(nr, ncCur - j)
                            let bp = packedB + panel * kcCur * nr
                            if ic == rows.lowerBound {
                                packBPanel(b, ldb: ldb, transposed: transB, j: jc + j, width: width, p0: pc, kc: kcCur, into: bp)
                            }
                            var ir = 0
                            while ir < mcCur {
                                let height = min(mr, mcCur - ir)
                                let ap = UnsafePointer(packedA + ir * kcCur)
                                let cp = c + (ic + ir) * ldc + jc + j
                                if height == mr && width == nr {
                                    microkernel(kc: kcCur, a: ap, b: UnsafePointer(bp), c: cp, ldc: ldc, overwrite: overwrite)
                                } else {
                                    edgeKernel(kc: kcCur, a: ap, b: UnsafePointer(bp), c: cp, ldc: ldc, rows: height, cols: width,
                                               overwrite: overwrite)
                                }
                                ir += mr
                            }
                        }
                        ic += mc
                    }
                    pc += kc
                }
                jc += nc
            }
        }
    }

    /// Packing buffers, reused across calls: allocating (and page-faulting) a megabyte per call
    /// would cost more than a small multiply. A lock-protected free list keeps concurrent callers
    /// on separate buffers.
    final class Workspace: @unchecked Sendable {
        /// Per participating thread: packed A block and packed B block.
        var a: [AlignedStorage]
        var b: [AlignedStorage]
        init(threads: Int, aCount: Int, bCount: Int) {
            a = (0..<threads).map { _ in AlignedStorage(count: aCount) }
            b = (0..<threads).map { _ in AlignedStorage(count: bCount) }
        }

        private static let free = Mutex<[Workspace]>([])

        static func take(threads: Int, aCount: Int, bCount: Int) -> Workspace {
            let ws = free.withLock { $0.popLast() } ?? Workspace(threads: threads, aCount: aCount, bCount: bCount)
            while ws.a.count < threads { ws.a.append(AlignedStorage(count: aCount)) }
            while ws.b.count < threads { ws.b.append(AlignedStorage(count: bCount)) }
            for t in 0..<threads where ws.a[t].count < aCount { ws.a[t] = AlignedStorage(count: aCount) }
            for t in 0..<threads where ws.b[t].count < bCount { ws.b[t] = AlignedStorage(count: bCount) }
            return ws
        }

        static func give(_ ws: Workspace) {
            free.withLock { $0.append(ws) }
        }
    }
}
