import LoopLang
import LoopTrain

/// `looplab bench gemm`: SGEMM GFLOPS on square float32 products against numpy (OpenBLAS) in the
/// same run, through `scripts/compare/gemm.py` (same protocol as `GEMMBenchmark`).
enum GEMMBench {
    static func report(sizes: [Int], threads: Int) -> BenchReport {
        // numpy first, so Looplab's measurement does not share the machine with its start-up.
        // OPENBLAS_CORETYPE is unset for this command only: the machine pins an older kernel.
        let reference = PythonReference(
            script: "gemm.py", arguments: ["--sizes", sizes.map(String.init).joined(separator: ","), "--json"],
            environment: ["-OPENBLAS_CORETYPE", "-OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS=\(threads)", "OMP_NUM_THREADS=\(threads)"]
        ).run().map { records in
            Dictionary(records.compactMap { r -> (Int, Double)? in
                guard case .int(let n)? = r.fields["size"], let g = r.fields["gflops"]?.number else { return nil }
                return (n, g)
            }, uniquingKeysWith: { a, _ in a })
        }
        var report = BenchReport(bench: "gemm", referenceNames: ["numpy"])
        for result in GEMMBenchmark.run(sizes: sizes, threads: threads) {
            var row = BenchRow(caseName: "sgemm \(result.size)³ \(threads)T", value: result.gflops, unit: "GFLOPS")
            if case .success(let numpy) = reference, let g = numpy[result.size] { row.references["numpy"] = g }
            report.rows.append(row)
        }
        switch reference {
        case .success: report.note = "median of 7; numpy (OpenBLAS) measured in this run; ratio > 1 is faster than numpy"
        case .failure(let skipped): report.note = "numpy not measured: \(skipped.reason)"
        }
        return report
    }
}
