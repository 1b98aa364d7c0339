import LoopSupport

/// SGEMM throughput for `looplab bench gemm`: square products and the rectangular, transposed
/// shapes a training step issues.
///
/// The protocol matches `scripts/compare/gemm.py` (and the anchors' `train_torch.py`): inputs
/// N(0,1) float32, output preallocated, a warm-up call, then the median of 7 repetitions, each
/// repetition long enough (≥ `minTime` seconds) that timer resolution does not matter.
public enum GEMMBenchmark {
    /// One product `C[m×n] = op(A)[m×k] · op(B)[k×n]`.
    public struct Shape: Sendable, Hashable, CustomStringConvertible {
        public var m: Int, k: Int, n: Int
        public var transA: Bool, transB: Bool
        public init(m: Int, k: Int, n: Int, transA: Bool = false, transB: Bool = false) {
            self.m = m; self.k = k; self.n = n; self.transA = transA; self.transB = transB
        }
        public static func square(_ n: Int) -> Shape { Shape(m: n, k: n, n: n) }

        /// `nn`, `nt` (B transposed: a layer's forward), `tn` (A transposed: a weight gradient).
        public var form: String { (transA ? "t" : "n") + (transB ? "t" : "n") }

        /// `512³` for a square NN product, else `MxKxN` followed by the form when it is not `nn`.
        public var description: String {
            if m == k && k == n && !transA && !transB { return "\(n)³" }
            return "\(m)x\(k)x\(n)" + (transA || transB ? " " + form : "")
        }

        /// Parses `N` (square), `MxKxN` or `MxKxN:FORM` with FORM one of nn, nt, tn, tt.
        public init?(parsing text: some StringProtocol) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            let dims = parts[0].split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard dims.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
            switch dims.count {
            case 1: self = .square(dims[0]!)
            case 3: self.init(m: dims[0]!, k: dims[1]!, n: dims[2]!)
            default: return nil
            }
            if parts.count == 2 {
                let form = parts[1].lowercased()
                guard ["nn", "nt", "tn", "tt"].contains(form) else { return nil }
                transA = form.first == "t"
                transB = form.last == "t"
            }
        }

        /// Multiply-adds × 2.
        public var flops: Double { 2 * Double(m) * Double(k) * Double(n) }
    }

    /// One measurement: the shape and billions of floating-point operations per second.
    public typealias Result = (shape: Shape, gflops: Double)

    /// Measures each shape with `threads` threads of the shared pool.
    public static func run(shapes: [Shape] = [512, 1024, 2048].map(Shape.square), threads: Int = ThreadPool.shared.threads,
                           minTime: Double = 0.1) -> [Result] {
        shapes.map { s in
            var rng = SeededRandom(seed: 0)
            // Stored shapes: A is k×m when transposed, B is n×k when transposed.
            let a = Tensor.randn(s.transA ? [s.k, s.m] : [s.m, s.k], rng: &rng)
            let b = Tensor.randn(s.transB ? [s.n, s.k] : [s.k, s.n], rng: &rng)
            var c = Tensor(shape: [s.m, s.n])
            let call = {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            GEMM.sgemm(transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k,
                                       a: ap.baseAddress!, lda: s.transA ? s.m : s.k,
                                       b: bp.baseAddress!, ldb: s.transB ? s.k : s.n,
                                       c: cp.baseAddress!, ldc: s.n, maxThreads: threads)
                        }
                    }
                }
            }
            let seconds = medianSeconds(minTime: minTime, call)
            return (s, s.flops / seconds / 1e9)
        }
    }

    /// Median seconds per call of `body` over 7 repetitions after warm-up (calls per repetition
    /// calibrated so one repetition lasts at least `minTime`).
    public static func medianSeconds(minTime: Double, _ body: () -> Void) -> Double {
        body()
        var calls = 1
        while true {
            let t0 = Monotonic.seconds()
            for _ in 0..<calls { body() }
            let dt = Monotonic.seconds() - t0
            if dt >= minTime { break }
            calls = max(calls * 2, Int(Double(calls) * minTime / max(dt, 1e-9) * 1.2))
        }
        var samples: [Double] = []
        for _ in 0..<7 {
            let t0 = Monotonic.seconds()
            for _ in 0..<calls { body() }
            samples.append((Monotonic.seconds() - t0) / Double(calls))
        }
        return samples.sorted()[3]
    }

    /// A monotonic clock in seconds.
}
