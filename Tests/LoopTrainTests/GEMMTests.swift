import LoopTrain
import Testing

@Suite struct GEMMTests {
    static let odd = [1, 7, 63, 65, 257]

    /// Runs the fast and the reference kernel on the same inputs; returns the largest error.
    func compare(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, pad: Int = 0, accumulate: Bool = false,
                 threads: Int = .max) -> Float {
        let lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad
        let a = randomTensor([transA ? k : m, lda], seed: 1)
        let b = randomTensor([transB ? n : k, ldb], seed: 2)
        let c0 = randomTensor([m, ldc], seed: 3)
        var fast = c0, slow = c0
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                fast.withUnsafeMutableBufferPointer { cp in
                    GEMM.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                               b: bp.baseAddress!, ldb: ldb, c: cp.baseAddress!, ldc: ldc, accumulate: accumulate,
                               maxThreads: threads)
                }
                slow.withUnsafeMutableBufferPointer { cp in
                    ReferenceKernels.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                                    b: bp.baseAddress!, ldb: ldb, c: cp.baseAddress!, ldc: ldc, accumulate: accumulate)
                }
            }
        }
        // Padding columns of C must be left alone.
        for i in 0..<m { for j in n..<ldc { #expect(fast[i, j] == c0[i, j]) } }
        return maxAbsDifference(fast.scalars, slow.scalars)
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func matchesReferenceOnOddShapes(transA: Bool, transB: Bool) {
        for m in Self.odd { for n in Self.odd { for k in Self.odd {
            let err = compare(transA: transA, transB: transB, m: m, n: n, k: k)
            // Float32 accumulation of k products of magnitude ≤ 1.
            #expect(err <= 1e-6 * Float(k) + 1e-5, "m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB) err=\(err)")
        } } }
    }

    @Test func accumulatesAndHonoursLeadingDimensions() {
        for (m, n, k) in [(65, 63, 257), (7, 300, 600), (300, 7, 33), (1, 1, 1)] {
            for (ta, tb) in [(false, false), (false, true), (true, false)] {
                let err = compare(transA: ta, transB: tb, m: m, n: n, k: k, pad: 5, accumulate: true)
                #expect(err <= 1e-6 * Float(k) + 1e-5, "m=\(m) n=\(n) k=\(k) err=\(err)")
            }
        }
    }

    @Test func largeBlockedShapes() {
        // Crosses the kc (256) and mc (144) block edges several times.
        for (m, n, k) in [(600, 200, 700), (100, 3200, 40)] {
            let err = compare(transA: false, transB: false, m: m, n: n, k: k)
            #expect(err <= 1e-6 * Float(k) + 1e-5, "m=\(m) n=\(n) k=\(k) err=\(err)")
        }
    }

    @Test func zeroDepthClearsOrKeepsC() {
        var c = Tensor(shape: [2, 3], repeating: 5)
        let dummy = Tensor(shape: [1])
        dummy.withUnsafeBufferPointer { p in
            c.withUnsafeMutableBufferPointer { cp in
                GEMM.sgemm(m: 2, n: 3, k: 0, a: p.baseAddress!, lda: 0, b: p.baseAddress!, ldb: 3,
                           c: cp.baseAddress!, ldc: 3, accumulate: true)
            }
        }
        #expect(c.scalars == [Float](repeating: 5, count: 6))
        dummy.withUnsafeBufferPointer { p in
            c.withUnsafeMutableBufferPointer { cp in
                GEMM.sgemm(m: 2, n: 3, k: 0, a: p.baseAddress!, lda: 0, b: p.baseAddress!, ldb: 3,
                           c: cp.baseAddress!, ldc: 3)
            }
        }
        #expect(c.scalars == [Float](repeating: 0, count: 6))
    }

    @Test func bitIdenticalForAnyThreadCount() {
        let a = randomTensor([333, 517], seed: 4), b = randomTensor([517, 129], seed: 5)
        let pools = [ThreadPool(threads: 1), ThreadPool(threads: 2), ThreadPool(threads: 3)]
        let results = pools.map { a.matmul(b, pool: $0) }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
        #expect(a.matmul(b) == results[0])
    }

    @Test func tensorMatmulForms() {
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], values: [7, 8, 9, 10, 11, 12])
        #expect(a.matmul(b).scalars == [58, 64, 139, 154])
        #expect(a.matmul(a, transposeOther: true).scalars == [14, 32, 32, 77])
        #expect(a.matmul(a, transposeSelf: true).scalars == [17, 22, 27, 22, 29, 36, 27, 36, 45])
    }

    @Test func benchmarkReportsEachShape() {
        let shapes = [GEMMBenchmark.Shape.square(64), GEMMBenchmark.Shape(m: 7, k: 65, n: 33, transA: true)]
        let results = GEMMBenchmark.run(shapes: shapes, threads: 1, minTime: 0.001)
        #expect(results.map(\.shape) == shapes)
        #expect(results.allSatisfy { $0.gflops > 0 && $0.gflops.isFinite })
    }

    @Test func benchmarkShapesParse() {
        #expect(GEMMBenchmark.Shape(parsing: "512") == .square(512))
        #expect(GEMMBenchmark.Shape(parsing: "64x256x10:nt") == GEMMBenchmark.Shape(m: 64, k: 256, n: 10, transB: true))
        #expect(GEMMBenchmark.Shape(parsing: "256x64x256:TN") == GEMMBenchmark.Shape(m: 256, k: 64, n: 256, transA: true))
        for bad in ["", "0", "64x256", "64x256x0", "64x-1x3", "8x8x8:nx", "8x8x8:nt:tn", "axbxc"] {
            #expect(GEMMBenchmark.Shape(parsing: bad) == nil, "\(bad) parsed")
        }
        #expect(GEMMBenchmark.Shape.square(512).description == "512³")
        #expect(GEMMBenchmark.Shape(m: 64, k: 256, n: 10, transB: true).description == "64x256x10 nt")
    }
}
