import LoopLab
import LoopTrain

/// `looplab bench gpt`: char-level GPT training throughput against PyTorch CPU in the same run
/// (`scripts/compare/gpt.py`), and the validation loss both reach after the same number of steps
/// on the same corpus (the system word list) with the same recipe.
enum GPTBench {
    static func report(threads: Int, corpus: String?, qualitySteps: Int) -> BenchReport {
        let config = GPTConfig(vocabulary: 27, context: 32, dimension: 64, layers: 2, heads: 4)
        let name = "L2 H4 C64 T32 b32"
        var arguments = ["--threads", String(threads)]
        let text = corpus.flatMap { POSIXFiles.exists($0) ? $0 : nil }
        if let text, qualitySteps > 0 { arguments += ["--corpus", text, "--quality-steps", String(qualitySteps)] }
        let torch = PythonReference(script: "gpt.py", arguments: arguments).run().map(PythonReference.values)
        var report = BenchReport(bench: "gpt", referenceNames: ["torch"])
        func add(_ caseName: String, _ value: Double, _ unit: String) {
            var row = BenchRow(caseName: caseName, value: value, unit: unit)
            if case .success(let values) = torch, let v = values[caseName] { row.references["torch"] = v }
            report.rows.append(row)
        }
        add("\(name) train", GPTBenchmark.run(config: config, batch: 32, steps: 20, threads: threads), "tokens/s")
        var notes: [String] = []
        if let text, qualitySteps > 0 {
            switch LoopProgram.numbers(qualityProgram(text, steps: qualitySteps), name: "bench-gpt.loop") {
            case .success(let values) where values.count == 1: add("\(name) val loss @\(qualitySteps)", values[0], "loss")
            case .success(let values): notes.append("quality program printed \(values)")
            case .failure(let f): notes.append("quality program failed: \(f.message)")
            }
        }
        switch torch {
        case .success: notes.insert("PyTorch CPU (\(threads) threads) measured in this run; tokens/s ratio > 1 is faster, val loss ratio < 1 is better", at: 0)
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
