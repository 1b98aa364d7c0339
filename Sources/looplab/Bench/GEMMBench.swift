import LoopLang
import LoopTrain

/// `looplab bench gemm`: SGEMM GFLOPS on float32 products against numpy (OpenBLAS) in the same
/// run, through `scripts/compare/gemm.py` (same protocol as `GEMMBenchmark`), in alternating rounds.
enum GEMMBench {
    /// The shape as gemm.py names it in its JSON: `MxKxN:FORM`.
    static func key(_ s: GEMMBenchmark.Shape) -> String { "\(s.m)x\(s.k)x\(s.n):\(s.form)" }

    static func report(shapes: [GEMMBenchmark.Shape], threads: Int, rounds: Int) -> BenchReport {
        // OPENBLAS_CORETYPE is unset for this command only: the machine pins an older kernel.
        let numpy = PythonReference(
            script: "gemm.py", arguments: ["--shapes", shapes.map(key).joined(separator: ","), "--json"],
            environment: ["-OPENBLAS_CORETYPE", "-OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS=\(threads)", "OMP_NUM_THREADS=\(threads)"]
        )
        let names = Dictionary(uniqueKeysWithValues: shapes.map { (key($0), "sgemm \($0) \(threads)T") })
        let measured = Rounds.measure(rounds: rounds, reference: { _ in
            numpy.run().map { records in
                Dictionary(records.compactMap { r -> (String, Double)? in
                    guard case .string(let shape)? = r.fields["shape"], let g = r.fields["gflops"]?.number,
                          let name = names[shape] else { return nil }
                    return (name, g)
                }, uniquingKeysWith: { a, _ in a })
            }
        }, looplab: { _ in
            GEMMBenchmark.run(shapes: shapes, threads: threads).map {
                Rounds.Measured(name: names[key($0.shape)]!, value: $0.gflops, unit: "GFLOPS")
            }
        })
        var report = BenchReport(bench: "gemm", measured: measured, reference: "numpy")
        switch measured.reference {
        case .success: report.note = "median of \(rounds) alternating rounds (each a median of 7); numpy (OpenBLAS) measured in this run; ratio > 1 is faster than numpy"
        case .failure(let skipped): report.note = "numpy not measured: \(skipped.reason)"
        }
        return report
    }
}
