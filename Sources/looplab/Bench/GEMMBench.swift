import LoopLang
import LoopTrain

/// `looplab bench gemm`: SGEMM GFLOPS on float32 products against numpy (OpenBLAS) in the same
/// run, through `scripts/compare/gemm.py` (same protocol as `GEMMBenchmark`).
enum GEMMBench {
    /// The shape as gemm.py names it in its JSON: `MxKxN:FORM`.
    static func key(_ s: GEMMBenchmark.Shape) -> String { "\(s.m)x\(s.k)x\(s.n):\(s.form)" }

    static func report(shapes: [GEMMBenchmark.Shape], threads: Int) -> BenchReport {
        // numpy first, so Looplab's measurement does not share the machine with its start-up.
        // OPENBLAS_CORETYPE is unset for this command only: the machine pins an older kernel.
        let reference = PythonReference(
            script: "gemm.py", arguments: ["--shapes", shapes.map(key).joined(separator: ","), "--json"],
            environment: ["-OPENBLAS_CORETYPE", "-OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS=\(threads)", "OMP_NUM_THREADS=\(threads)"]
        ).run().map { records in
            Dictionary(records.compactMap { r -> (String, Double)? in
                guard case .string(let shape)? = r.fields["shape"], let g = r.fields["gflops"]?.number else { return nil }
                return (shape, g)
            }, uniquingKeysWith: { a, _ in a })
        }
        var report = BenchReport(bench: "gemm", referenceNames: ["numpy"])
        for result in GEMMBenchmark.run(shapes: shapes, threads: threads) {
            var row = BenchRow(caseName: "sgemm \(result.shape) \(threads)T", value: result.gflops, unit: "GFLOPS")
            if case .success(let numpy) = reference, let g = numpy[key(result.shape)] { row.references["numpy"] = g }
            report.rows.append(row)
        }
        switch reference {
        case .success: report.note = "median of 7; numpy (OpenBLAS) measured in this run; ratio > 1 is faster than numpy"
        case .failure(let skipped): report.note = "numpy not measured: \(skipped.reason)"
        }
        return report
    }
}
