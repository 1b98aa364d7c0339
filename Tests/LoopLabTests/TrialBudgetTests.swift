import Foundation
import LoopLab
import LoopLang
import Testing

/// `study(..., trial_budget:)`: a trial whose body runs too long is stopped and recorded
/// `interrupted` ("trial budget: ..."), whatever it is doing (a loop, `train`, `exec`), and the
/// study goes on.
@Suite struct TrialBudgetTests {
    @Test func aLoopingTrialIsStoppedEvenIfItCatches() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let start = Date()
        let out = try store.run("""
        let st = study("budget", space: space {x: uniform(0.0, 1.0)}, strategy: "random", max_trials: 3, trial_budget: 0.3s)
        for t in st {
          # A `catch` inside the trial cannot outlive the budget: the next checkpoint raises again.
          if t.number == 1 { while true { try { while true {} } catch e { } } }
          remember(t, {loss: t.x})
        }
        let h = history(st)
        print(h.map(fn(r) { r.status }), st.stop_reason)
        print(h[1].error)
        # The budget ends with the loop: this runs longer than 0.3s untouched.
        let t0 = now()
        while now() - t0 < 0.5 {}
        print("after")
        """)
        #expect(out == """
        ["complete", "interrupted", "complete"] max_trials
        trial budget: the loop body ran longer than 300ms
        after

        """)
        #expect(Date().timeIntervalSince(start) < 5)
        // The budget is stored with the study: reopening by name keeps it.
        let again = try store.run("""
        let st = study("budget", max_trials: 4)
        for t in st { while true {} }
        print(history(st)[3].status)
        """)
        #expect(again == "interrupted\n")
    }

    @Test func trainingIsStoppedByTheBudget() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let text = String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 40)
        let start = Date()
        let out = try store.run("""
        let text = text_data(\(loopString(text)))
        let parts = split(text, train: 0.9, val: 0.1, test: 0)
        let st = study("tb", space: space {lr: choice(0.001, 0.002)}, strategy: "grid", trial_budget: 0.5s)
        for t in st {
          let model = gpt(vocab: text, ctx: 16, dim: 32, layers: 1, heads: 2, seed: 1)
          let run = train(model, parts, steps: 1000000, batch: 16, lr: t.lr, progress: false)
          remember(t, {loss: eval(model, parts.val).loss})
        }
        for h in history(st) { print(h.status, h.error.starts_with("trial budget:")) }
        """)
        #expect(out == "interrupted true\ninterrupted true\n")
        #expect(Date().timeIntervalSince(start) < 8)
    }

    @Test func execIsKilledByTheBudget() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let pidFile = store.directory.appendingPathComponent("pgid").path
        let start = Date()
        let out = try store.run("""
        let st = study("eb", space: space {x: uniform(0.0, 1.0)}, strategy: "random", max_trials: 1, trial_budget: 0.5s)
        for t in st {
          let r = exec("echo $$ > \(pidFile); sleep 100 & sleep 100")
          print("not reached", r.status)
          remember(t, {loss: t.x})
        }
        print(history(st)[0].status, history(st)[0].error)
        """)
        #expect(out == "interrupted trial budget: the loop body ran longer than 500ms\n")
        #expect(Date().timeIntervalSince(start) < 5)
        let pgid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!processGroupAlive(pgid), "processes of group \(pgid) survived the trial budget")
    }
}
