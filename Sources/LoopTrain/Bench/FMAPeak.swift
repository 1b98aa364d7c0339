import LoopSupport

/// The machine's float32 FMA throughput, measured: what a training kernel's GFLOPS are a
/// fraction of (`looplab bench mlp` reports each case against it). Each thread runs independent
/// chains of fused multiply-adds on the widest SIMD type, enough chains to cover the FMA units'
/// latency, so the loop is bound by FMA issue alone. Measured rather than computed from a data
/// sheet because the CPU differs from machine to machine (and a VM may not say which it is).
public enum FMAPeak {
    /// Accumulators per thread: latency (4 cycles) x FMA ports (2), with room to spare.
    static let chains = 12

    /// GFLOPS (2 per FMA lane) on `threads` threads over about `seconds`; the best of 3 tries.
    public static func measure(threads: Int = ThreadPool.shared.threads, seconds: Double = 0.3) -> Double {
        let pool = ThreadPool.shared
        let previous = pool.activeThreads
        pool.activeThreads = threads
        defer { pool.activeThreads = previous }
        var best = 0.0
        for _ in 0..<3 {
            // Calibrate the iteration count on one thread, then time all of them together.
            var iterations = 1 << 16
            while true {
                let start = Monotonic.seconds()
                blackhole(chain(iterations: iterations, seed: 1))
                if Monotonic.seconds() - start > seconds / 10 { break }
                iterations *= 2
            }
            iterations *= 10
            var sink = [Float](repeating: 0, count: threads)
            let start = Monotonic.seconds()
            sink.withUnsafeMutableBufferPointer { out in
                let out = out
                pool.parallelFor(threads, maxThreads: threads) { task, _ in out[task] = chain(iterations: iterations, seed: Float(task + 1)) }
            }
            let elapsed = Monotonic.seconds() - start
            blackhole(sink.reduce(0, +))
            let flops = 2.0 * Double(SIMD16<Float>.scalarCount * chains) * Double(iterations) * Double(threads)
            best = max(best, flops / elapsed / 1e9)
        }
        return best
    }

    /// `iterations` rounds of one FMA on each of `chains` independent accumulators, kept in
    /// locals (registers), written out by hand since a loop over an array of them would go
    /// through memory.
    @inline(never)
    static func chain(iterations: Int, seed: Float) -> Float {
        let a = SIMD16<Float>(repeating: 0.999_999)
        let b = SIMD16<Float>(repeating: 1e-7 * seed)
        var c0 = SIMD16<Float>(repeating: seed), c1 = c0 + 1, c2 = c0 + 2, c3 = c0 + 3, c4 = c0 + 4, c5 = c0 + 5
        var c6 = c0 + 6, c7 = c0 + 7, c8 = c0 + 8, c9 = c0 + 9, c10 = c0 + 10, c11 = c0 + 11
        for _ in 0..<iterations {
            c0 = b.addingProduct(c0, a); c1 = b.addingProduct(c1, a); c2 = b.addingProduct(c2, a)
            c3 = b.addingProduct(c3, a); c4 = b.addingProduct(c4, a); c5 = b.addingProduct(c5, a)
            c6 = b.addingProduct(c6, a); c7 = b.addingProduct(c7, a); c8 = b.addingProduct(c8, a)
            c9 = b.addingProduct(c9, a); c10 = b.addingProduct(c10, a); c11 = b.addingProduct(c11, a)
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).sum()
    }

    @inline(never)
    static func blackhole(_ x: Float) { if x == .infinity { print(x) } }
}
