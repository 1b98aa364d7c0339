import LoopLab
import LoopTrain

/// `looplab bench mlp`: MLP training throughput against PyTorch CPU in the same run
/// (`scripts/compare/mlp.py`), in alternating rounds: the digits-sized 64-256-256-10 (batch 64)
/// and 784-512-512-10 (batch 256) on random data, and, when `../shared/data/digits.csv` exists,
/// real training on digits (20 epochs, examples/s from the median epoch) with the held-out
/// accuracy of each (measured in the first round only: it does not change).
enum MLPBench {
    static func report(threads: Int, digitsPath: String?, rounds: Int) -> BenchReport {
        let digits = digitsPath.flatMap { POSIXFiles.exists($0) ? $0 : nil }
        var notes: [String] = []
        let measured = Rounds.measure(rounds: rounds, reference: { _ in
            var arguments = ["--threads", String(threads), "--runs", "1"]
            if let digits { arguments += ["--digits", digits] }
            return PythonReference(script: "mlp.py", arguments: arguments).run().map(PythonReference.values)
        }, looplab: { round in
            var cases = [
                Rounds.Measured(name: "64-256-256-10 b64", value: MLPBenchmark.run(widths: [64, 256, 256, 10], batch: 64, steps: 50, threads: threads),
                                unit: "examples/s"),
                Rounds.Measured(name: "784-512-512-10 b256", value: MLPBenchmark.run(widths: [784, 512, 512, 10], batch: 256, steps: 25, threads: threads),
                                unit: "examples/s"),
            ]
            if let digits {
                switch LoopProgram.numbers(digitsProgram(digits), name: "bench-digits.loop") {
                case .success(let values) where values.count == 2:
                    cases.append(Rounds.Measured(name: "digits train", value: values[0], unit: "examples/s"))
                    cases.append(Rounds.Measured(name: "digits test accuracy", value: values[1], unit: "accuracy"))
                case .success(let values) where round == 0: notes.append("digits program printed \(values)")
                case .failure(let f) where round == 0: notes.append("digits program failed: \(f.message)")
                default: break
                }
            }
            return cases
        })
        var report = BenchReport(bench: "mlp", measured: measured, reference: "torch")
        // Each case as a share of what the FMA units can do, measured now on the same threads:
        // a training step costs 6 FLOPs per weight per example (2 forward, 4 backward).
        let peak = FMAPeak.measure(threads: threads)
        report.rows.append(BenchRow(caseName: "FMA peak, \(threads) thread\(threads == 1 ? "" : "s")", value: peak, unit: "GFLOPS"))
        let weights = ["64-256-256-10 b64": [64, 256, 256, 10], "784-512-512-10 b256": [784, 512, 512, 10], "digits train": [64, 256, 256, 10]]
        for row in report.rows where row.unit == "examples/s" {
            guard let widths = weights[row.caseName], peak > 0 else { continue }
            let flops = 6.0 * Double(zip(widths, widths.dropFirst()).map { $0 * $1 }.reduce(0, +))
            var share = BenchRow(caseName: "\(row.caseName), share of FMA peak", value: row.value * flops / 1e9 / peak, unit: "of peak")
            if let torch = row.references["torch"] { share.references["torch"] = torch * flops / 1e9 / peak }
            report.rows.append(share)
        }
        if digits == nil { notes.append("digits cases skipped (\(digitsPath ?? "no path") not found; pass --digits PATH)") }
        switch measured.reference {
        case .success: notes.insert("median of \(rounds) alternating rounds; PyTorch CPU (\(threads) threads) measured in this run; ratio > 1 is faster (accuracy: higher)", at: 0)
        case .failure(let skipped): notes.insert("torch not measured: \(skipped.reason)", at: 0)
        }
        report.note = notes.joined(separator: "\n")
        return report
    }

    /// The digits protocol in `.loop`, as mlp.py runs it in PyTorch: stratified 80/20 split (the
    /// held-out 20% is the `val` part, so the benchmark never writes a `final_eval` note to a store),
    /// standardised on train, 64-256-256-10 ReLU, AdamW lr 1e-3 (wd 0.01), batch 64, 20 epochs;
    /// examples/s from the median epoch time over epochs 2..20.
    static func digitsProgram(_ path: String) -> String {
        """
        let parts = split(load_csv("\(path)", target: "label"), train: 0.8, val: 0.2, test: 0, seed: 0)
        let model = mlp(parts, hidden: [256, 256], seed: 0)
        let run = train(model, parts.train, epochs: 20, batch: 64, lr: 0.001, optimizer: "adamw", budget: nil, progress: false)
        let ts = run.curve.map(fn(p) { seconds(p.time) })
        var epochs = []
        for i in 1..<len(ts) { epochs.append(ts[i] - ts[i - 1]) }
        print(parts.train.size / epochs.sorted()[int(len(epochs) / 2)])
        print(eval(model, parts.val).accuracy)
        """
    }
}
