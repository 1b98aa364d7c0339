import Foundation
import LoopLab
import LoopLang
import Testing

/// `.loop` programs that load data, build, train, evaluate, sample, save and load models.
/// Models are tiny so the suite stays fast; progress lines are turned off (`progress: false`).
@Suite struct TrainingPrimitivesTests {
    static let digitsPath = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/digits.csv").path
    static let haveDigits = FileManager.default.fileExists(atPath: digitsPath)

    @Test(.enabled(if: haveDigits, "../shared/data/digits.csv is absent"))
    func mlpOnDigitsReaches95Percent() throws {
        let out = try runLoop("""
            let data = load_csv(\(loopString(Self.digitsPath)), target: "label")
            print(data)
            let parts = split(data, train: 0.8, val: 0, test: 0.2, seed: 0)
            let model = mlp(parts, hidden: [128], seed: 0)
            print(model)
            let run = train(model, parts, epochs: 15, batch: 64, lr: 0.001, progress: false)
            print(run.status, run.steps)
            let m = final_eval(model, parts.test)
            print(m.accuracy)
            """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "<Dataset digits.csv: 1,797 rows × 64 features, 10 classes>")
        #expect(lines[1] == "<Model mlp 64-128-10, 9,610 params>")
        #expect(lines[2] == "completed \(15 * 23)")
        let accuracy = try #require(Double(lines[3]))
        #expect(accuracy >= 0.95, "test accuracy \(accuracy)")
    }

    /// A small text with real structure: sentences drawn (seeded) from a fixed set.
    static let sentences = [
        "the cat sat on the mat. ", "a dog ran in the park. ", "the bird sang a song. ",
        "my cat likes the warm sun. ", "the dog and the cat are friends. ",
    ]
    static let text: String = {
        var state: UInt64 = 12345
        var out = ""
        for _ in 0..<400 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out += sentences[Int(state >> 33) % sentences.count]
        }
        return out
    }()

    /// Cross-entropy of predicting `validation` from character frequencies of `train` (add-one).
    static func unigramLoss(train: Substring, validation: Substring) -> Double {
        var counts: [Character: Double] = [:]
        for c in Set(text) { counts[c] = 1 }
        for c in train { counts[c, default: 1] += 1 }
        let total = counts.values.reduce(0, +)
        return validation.reduce(0.0) { $0 - log(counts[$1]! / total) } / Double(validation.count)
    }

    @Test func gptLearnsBelowTheUnigramBaseline() throws {
        let out = try runLoop("""
            let text = text_data(\(loopString(Self.text)))
            let parts = split(text, train: 0.9, val: 0.1, test: 0)
            let model = gpt(vocab: text, ctx: 16, dim: 32, layers: 1, heads: 2, seed: 1)
            let run = train(model, parts, steps: 150, batch: 16, lr: 0.005, progress: false)
            print(run.status)
            print(eval(model, parts.val).loss)
            let sample = generate(model, prompt: "the ", max_len: 40, temperature: 0.5, seed: 3)
            print(len(sample))
            print(sample.starts_with("the "))
            """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "completed")
        let cut = Int(Double(Self.text.count) * 0.9)
        let chars = Array(Self.text)
        let baseline = Self.unigramLoss(train: Substring(String(chars[..<cut])), validation: Substring(String(chars[cut...])))
        let loss = try #require(Double(lines[1]))
        #expect(loss < 0.6 * baseline, "val loss \(loss) vs unigram \(baseline)")
        #expect(lines[2] == "44")
        #expect(lines[3] == "true")
    }

    @Test func hugeLearningRateDiverges() throws {
        let out = try runLoop("""
            let data = dataset("sine", n: 128, seed: 1)
            let model = mlp(data, hidden: [32])
            let run = train(model, data, epochs: 50, optimizer: "sgd", lr: 1e12, progress: false)
            print(run.status)
            print(run.steps < 100)
            """)
        #expect(out == "diverged\ntrue\n")
    }

    @Test func unknownOptimizerIsAClearError() throws {
        let out = try runLoop("""
            let data = dataset("moons")
            try { train(mlp(data, hidden: [8]), data, optimizer: "adamx") } catch e { print(e.kind, "|", e.message) }
            """)
        #expect(out == "train | train: unknown optimizer 'adamx' (known: adamw, adam, sgd, momentum, nesterov)\n")
    }

    @Test func shapeMismatchNamesBothSides() throws {
        let out = try runLoop("""
            let data = dataset("spirals")
            let model = mlp(in: 3, hidden: [8], out: 3)
            try { train(model, data) } catch e { print(e.message) }
            try { eval(mlp(in: 2, out: 5), data) } catch e { print(e.message) }
            try { train(gpt(vocab: 10), data) } catch e { print(e.message) }
            """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "train: shape mismatch: the model takes 3 input features but the data has 2 (model <Model mlp 3-8-3, 59 params>, data <Dataset spirals: 300 rows × 2 features, 3 classes>)")
        #expect(lines[1].hasPrefix("eval: shape mismatch: the model produces 5 outputs but the task needs 3"))
        #expect(lines[2].hasPrefix("train: <Model gpt vocab 10 ctx 32 dim 64 layers 2 heads 4"))
        #expect(lines[2].contains("is a language model but"))
    }

    @Test func saveAndLoadGiveIdenticalEvaluation() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        let out = try runLoop("""
            let parts = split(dataset("moons", n: 300, seed: 2), seed: 1)
            let model = mlp(parts, hidden: [16, 16])
            train(model, parts, epochs: 5, progress: false)
            save(model, \(loopString(path)))
            let back = load_model(\(loopString(path)))
            print(back)
            print(params(back) == params(model))
            print(eval(back, parts.val) == eval(model, parts.val))
            let text = text_data("abcabcabcabcabcabcabcabcabcabcabcabc")
            let g = gpt(vocab: text, ctx: 8, dim: 16, layers: 1, heads: 2)
            train(g, text, steps: 5, progress: false)
            save(g, \(loopString(path)))
            let g2 = load_model(\(loopString(path)))
            print(generate(g2, prompt: "ab", max_len: 10, seed: 1) == generate(g, prompt: "ab", max_len: 10, seed: 1))
            """)
        #expect(out == "<Model mlp 2-16-16-2, 354 params>\ntrue\ntrue\ntrue\n")
    }

    @Test func sameSeedGivesTheSameCurve() throws {
        let out = try runLoop("""
            fn losses(seed) {
              let data = dataset("spirals", seed: 3)
              let run = train(mlp(data, hidden: [32], seed: seed), data, epochs: 4, batch: 32, seed: seed, progress: false)
              run.curve.map(fn(p) { p.loss })
            }
            let a = losses(7)
            print(len(a), a == losses(7), a == losses(8))
            """)
        #expect(out == "4 true false\n")
    }

    @Test func runHandleReportsItsRun() throws {
        let out = try runLoop("""
            let parts = split(dataset("blobs", n: 200), train: 0.7, val: 0.3, test: 0)
            let run = train(mlp(parts, hidden: [8]), parts, epochs: 3, batch: 50, eval_every: 2, progress: false)
            print(run.status, run.steps, type(run.time), run.throughput > 0)
            print(run.curve.map(fn(p) { p.step }))
            print(run.curve[0].keys)
            print(str(run).starts_with("<Run completed: 9 steps in "))
            """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "completed 9 Duration true")
        #expect(lines[1] == "[2, 4, 6, 8, 9]")
        #expect(lines[2] == #"["step", "epoch", "loss", "lr", "val_accuracy", "val_loss", "time"]"#)
        #expect(lines[3] == "true")
    }

    @Test func patienceStopsEarlyAndRestoresTheBestWeights() throws {
        let out = try runLoop("""
            let parts = split(dataset("moons", n: 300, noise: 0.3, seed: 1), seed: 1)
            let model = mlp(parts, hidden: [64, 64])
            let run = train(model, parts, epochs: 500, lr: 0.01, patience: 5, progress: false)
            print(run.status, run.steps < 500 * 4)
            let best = min(run.curve.map(fn(p) { p.val_loss }))
            print(eval(model, parts.val).loss == best)
            """)
        #expect(out == "early_stopped true\ntrue\n")
    }

    @Test func budgetEndsTheRun() throws {
        let out = try runLoop("""
            let data = dataset("spirals")
            let run = train(mlp(data, hidden: [64]), data, steps: 10_000_000, budget: 200ms, progress: false)
            print(run.status, run.steps < 10_000_000, len(run.curve) >= 1)
            """)
        #expect(out == "budget true true\n")
    }

    @Test func seqBuildsFromLayers() throws {
        let out = try runLoop("""
            let m = seq(linear(2, 16), relu(), linear(16, 16), "tanh", linear(16, 2))
            print(m)
            print(params(m))
            try { seq(linear(2, 16), relu(), linear(8, 2)) } catch e { print(e.message) }
            let data = dataset("xor", n: 400)
            let run = train(m, data, epochs: 30, lr: 0.01, progress: false)
            print(eval(m, data).accuracy > 0.9)
            """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "<Model mlp 2-16-16-2, 354 params>")
        #expect(lines[1] == "354")
        #expect(lines[2] == "seq: layer 3 (linear(8,2)) takes 8 features but the layer before it gives 16")
        #expect(lines[3] == "true")
    }

    @Test func regressionReportsMSEAndR2() throws {
        let out = try runLoop("""
            let parts = split(dataset("sine", n: 400), seed: 1)
            let model = mlp(parts, hidden: [32, 32], act: "tanh")
            train(model, parts, epochs: 60, lr: 0.01, progress: false)
            let m = final_eval(model, parts.test)
            print(m.keys, m.r2 > 0.8)
            """)
        #expect(out == #"["mse", "r2", "loss"] true"# + "\n")
    }

    @Test func badDataArgumentsAreClearErrors() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("d.csv")
        let columns = ["label"] + (1...64).map { "pixel\($0)" }
        try (columns.joined(separator: ",") + "\n" + columns.indices.map { _ in "1" }.joined(separator: ",") + "\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        let data = try runLoop("""
            try { load_csv("\(csv.path)", target: "labels") } catch e { print(e.kind, e.message) }
            try { load_csv("\(csv.path)", target: "y") } catch e { print(e.message) }
            """)
        #expect(data == "data load_csv: \(csv.path): no target column 'labels'; did you mean 'label'?\n"
                + "load_csv: \(csv.path): no target column 'y' (columns: label, pixel1, pixel2, pixel3, pixel4, pixel5, pixel6, pixel7, … 65 in all)\n")
        let out = try runLoop("""
            try { load_csv("/nonexistent/x.csv") } catch e { print(e.kind, e.message == "load_csv: cannot read '/nonexistent/x.csv': No such file or directory") }
            try { dataset("mnist") } catch e { print(e.message) }
            try { eval(mlp(in: 2, out: 3), split(dataset("spirals"))) } catch e { print(e.message) }
            let digits = split(dataset("spirals"))
            try { eval(mlp(in: 2, out: 3), digits) } catch e { print(e.message) }
            try { final_eval(mlp(in: 2, out: 3), data: digits) } catch e { print(e.message) }
            """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "io true")
        #expect(lines[1] == "dataset: unknown dataset 'mnist' (known: spirals, moons, blobs, xor, sine, words)")
        #expect(lines[2] == "eval: data must be a Dataset; for a split, pass one part such as parts.train or parts.val")
        // The hint names the caller's own variable.
        #expect(lines[3] == "eval: data must be a Dataset; for a split, pass one part such as digits.train or digits.val")
        #expect(lines[4] == "final_eval: data must be a Dataset; for a split, pass one part such as digits.train or digits.val")
    }

    @Test func theTestSplitIsOnlyForFinalEval() throws {
        let out = try runLoop("""
            let parts = split(dataset("spirals", n: 300, seed: 1), train: 0.6, val: 0.2, test: 0.2, seed: 1)
            let model = mlp(parts, hidden: [16], seed: 1)
            train(model, parts.train, epochs: 2, progress: false)
            print(try { eval(model, parts.test) } catch e { e.message.starts_with("eval: ") and e.message.contains("final_eval(model, data.test)") })
            let m = final_eval(model, parts.test)
            print(m.keys, eval(model, parts.val).keys == m.keys)
            """)
        #expect(out == "true\n[\"accuracy\", \"loss\"] true\n")
    }
}
