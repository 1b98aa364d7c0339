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
