import LoopLab
import LoopTrain

/// `looplab bench gpt`: char-level GPT training throughput against PyTorch CPU in the same run
/// (`scripts/compare/gpt.py`), and the validation loss both reach after the same number of steps
/// on the same corpus (the system word list) with the same recipe; throughput in alternating rounds.
enum GPTBench {
    static func report(threads: Int, corpus: String?, qualitySteps: Int, rounds: Int) -> BenchReport {
        let config = GPTConfig(vocabulary: 27, context: 32, dimension: 64, layers: 2, heads: 4)
        let name = "L2 H4 C64 T32 b32"
        let text = corpus.flatMap { POSIXFiles.exists($0) ? $0 : nil }
        let quality = text != nil && qualitySteps > 0
        var notes: [String] = []
        // The validation-loss case is deterministic on both sides: it runs in the first round only.
        let measured = Rounds.measure(rounds: rounds, reference: { round in
            var arguments = ["--threads", String(threads)]
            if let text, quality, round == 0 { arguments += ["--corpus", text, "--quality-steps", String(qualitySteps)] }
            return PythonReference(script: "gpt.py", arguments: arguments).run().map(PythonReference.values)
        }, looplab: { round in
            var cases = [Rounds.Measured(name: "\(name) train", value: GPTBenchmark.run(config: config, batch: 32, steps: 20, threads: threads),
                                         unit: "tokens/s")]
            if let text, quality, round == 0 {
                switch LoopProgram.numbers(qualityProgram(text, steps: qualitySteps), name: "bench-gpt.loop") {
                case .success(let values) where values.count == 1:
                    cases.append(Rounds.Measured(name: "\(name) val loss @\(qualitySteps)", value: values[0], unit: "loss"))
                case .success(let values): notes.append("quality program printed \(values)")
                case .failure(let f): notes.append("quality program failed: \(f.message)")
                }
            }
            return cases
        })
        var report = BenchReport(bench: "gpt", measured: measured, reference: "torch")
        switch measured.reference {
        case .success: notes.insert("median of \(rounds) alternating rounds; PyTorch CPU (\(threads) threads) measured in this run; tokens/s ratio > 1 is faster, val loss ratio < 1 is better", at: 0)
        case .failure(let skipped): notes.insert("torch not measured: \(skipped.reason)", at: 0)
        }
        report.note = notes.joined(separator: "\n")
        return report
    }

    /// The validation-loss protocol of gpt.py in `.loop`: first 90% trains, last 10% validates.
    static func qualityProgram(_ path: String, steps: Int) -> String {
        """
        let text = load_text("\(path)")
        let parts = split(text, train: 0.9, val: 0.1, test: 0)
        let model = gpt(vocab: text, ctx: 32, dim: 64, layers: 2, heads: 4, seed: 1)
        train(model, parts.train, steps: \(steps), batch: 32, lr: 0.001, optimizer: "adamw", budget: nil, progress: false)
        print(eval(model, parts.val).loss)
        """
    }
}
