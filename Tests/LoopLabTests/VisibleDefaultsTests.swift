import Foundation
import LoopLang
import LoopStore
import Testing

/// What the loop records must be readable and its defaults visible: the looks at a test split
/// are counted, `recall` puts what people wrote first, a run cut short by the default budget
/// says so, and a run whose loss rose is flagged.
struct VisibleDefaultsTests {
    @Test func recallRanksNotesFirstMatchesValuesNotParameterNamesAndPrintsReadably() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        _ = try store.run("""
        let st = study("deep", space: space {layers: integers(1, 4), act: choice("relu", "gelu")}, max_trials: 6)
        for t in st { remember(t, {loss: float(t.layers)}) }
        remember("three layers overfit the digits; gelu helps", tags: ["layers", "digits"])
        remember(best_depth: 2)
        """)
        let out = try store.run("""
        let hits = recall("layers gelu")
        print(hits[0].kind, hits[0])
        let trials = hits.filter(fn(h) { h.kind == "trial" })
        print(trials.count > 0, trials.filter(fn(h) { not h.snippet.contains("[gelu]") }).count)
        print(recall("layers").map(fn(h) { h.kind }))
        print(recall("best_depth")[0], recall("best_depth")[0].value)
        """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "note \"three layers overfit the digits; gelu helps\"  [layers, digits]")
        #expect(lines[1] == "true 0")
        // The parameter's name is in every trial of the space; only the note says "layers".
        #expect(lines[2] == "[\"note\"]")
        #expect(lines[3] == "best_depth = 2 2")
    }

    @Test func runsWhoseLossRoseAreFlagged() throws {
        let out = try runLoop("""
        let d = dataset("spirals", n: 300, seed: 0)
        let wild = train(mlp(d, hidden: [16], seed: 0), d, epochs: 20, lr: 10, optimizer: "sgd", progress: false)
        let calm = train(mlp(d, hidden: [16], seed: 0), d, epochs: 20, lr: 0.5, optimizer: "sgd", progress: false)
        print(wild.status, wild.warnings.count, wild.warnings[0].contains("far above the initial"), calm.warnings)
        """)
        #expect(out == "completed 1 true []\n")
    }
}

/// Through the binary, where stderr can be read.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct VisibleDefaultsCommandTests {
    @Test func aSecondLookAtTheTestSplitWarnsAndIsCounted() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let script = store.directory.appendingPathComponent("final.loop")
        try """
        let parts = split(dataset("blobs", n: 200, seed: 2), seed: 2)
        let model = mlp(parts, hidden: [8], seed: 2)
        train(model, parts.train, epochs: 1, progress: false)
        final_eval(model, parts.test)
        """.write(to: script, atomically: true, encoding: .utf8)
        let first = try runLooplab(["run", "--store", store.path, script.path])
        #expect(first.status == 0 && first.stderr == "")
        let second = try runLooplab(["run", "--store", store.path, script.path])
        #expect(second.status == 0)
        #expect(second.stderr.contains("final_eval: warning: this test split"))
        #expect(second.stderr.contains("has been evaluated 1 time before in this store"))
        let db = try Store(path: store.path)
        defer { try? db.close() }
        let notes = try db.notes(tag: "final_eval")
        #expect(notes.count == 2)
        #expect(notes.contains { $0.text.hasPrefix("final_eval #2 of ") })
        // The same split in another run counts; a different one does not.
        #expect(Set(notes.flatMap(\.tags).filter { $0.hasPrefix("test:") }).count == 1)
    }

    @Test func aRunStoppedByTheDefaultBudgetSaysSo() throws {
        let code = """
        let d = dataset("spirals", n: 300, seed: 0)
        print(train(mlp(d, hidden: [16], seed: 0), d, epochs: 1_000_000, progress: false).status)
        """
        let byDefault = try runLooplab(["-e", code], environment: ["LOOPLAB_TRAIN_BUDGET": "0.3s"])
        #expect(byDefault.stdout == "budget\n")
        #expect(byDefault.stderr.contains("train: stopped by the default budget of 0.30s (LOOPLAB_TRAIN_BUDGET) after "))
        #expect(byDefault.stderr.contains("pass budget: 10m (or budget: nil) to train longer"))
        let explicit = try runLooplab(["-e", code.replacingOccurrences(of: "progress: false", with: "progress: false, budget: 0.3s")])
        #expect(explicit.stdout == "budget\n" && explicit.stderr == "")
        let bad = try runLooplab(["-e", "print(1)"], environment: ["LOOPLAB_TRAIN_BUDGET": "soon"])
        #expect(bad.stdout == "1\n")
    }
}
