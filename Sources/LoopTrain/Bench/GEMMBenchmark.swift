#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SGEMM throughput on square row-major `n×n·n×n` products, for `looplab bench gemm`.
///
/// The protocol matches `scripts/compare/gemm.py` (and the anchors' `train_torch.py`): inputs
/// N(0,1) float32, output preallocated, a warm-up call, then the median of 7 repetitions, each
/// repetition long enough (≥ `minTime` seconds) that timer resolution does not matter.
public enum GEMMBenchmark {
    /// One measurement: the matrix size and billions of floating-point operations (2·n³) per second.
    public typealias Result = (size: Int, gflops: Double)

    /// Measures each size with `threads` threads of the shared pool.
    public static func run(sizes: [Int] = [512, 1024, 2048], threads: Int = ThreadPool.shared.threads,
                           minTime: Double = 0.1) -> [Result] {
        sizes.map { n in
            var rng = Xoshiro256(seed: 0)
            let a = Tensor.randn([n, n], rng: &rng), b = Tensor.randn([n, n], rng: &rng)
            var c = Tensor(shape: [n, n])
            let call = {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            GEMM.sgemm(m: n, n: n, k: n, a: ap.baseAddress!, lda: n, b: bp.baseAddress!, ldb: n,
                                       c: cp.baseAddress!, ldc: n, maxThreads: threads)
                        }
                    }
                }
            }
            let seconds = medianSeconds(minTime: minTime, call)
            return (n, 2 * Double(n) * Double(n) * Double(n) / seconds / 1e9)
        }
    }

    /// Median seconds per call of `body` over 7 repetitions after warm-up (calls per repetition
    /// calibrated so one repetition lasts at least `minTime`).
    public static func medianSeconds(minTime: Double, _ body: () -> Void) -> Double {
        body()
        var calls = 1
        while true {
            let t0 = monotonicSeconds()
            for _ in 0..<calls { body() }
            let dt = monotonicSeconds() - t0
            if dt >= minTime { break }
            calls = max(calls * 2, Int(Double(calls) * minTime / max(dt, 1e-9) * 1.2))
        }
        var samples: [Double] = []
        for _ in 0..<7 {
            let t0 = monotonicSeconds()
            for _ in 0..<calls { body() }
            samples.append((monotonicSeconds() - t0) / Double(calls))
        }
        return samples.sorted()[3]
    }

    /// A monotonic clock in seconds.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
