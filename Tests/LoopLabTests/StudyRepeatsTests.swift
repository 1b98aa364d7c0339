import Foundation
import LoopLab
import LoopLang
import LoopStore
import Testing

/// `repeats:` (finalists re-run with new seeds, `st.best` by the mean), `allow_repeat:`, batches
/// from `propose(st, n:)`, and the Trial member rule.
@Suite struct StudyRepeatsTests {
    static let script = """
    let st = study("rep", space: space {x: choice(1, 2, 3, 4, 5)}, strategy: "grid", goal: minimize("loss"),
                   repeats: 2, finalists: 2)
    for t in st {
      # A small seed-dependent noise on top of x: the ranking stays x = 1 first, x = 2 second.
      remember(t, {loss: float(t.x) + float(t.seed % 100) / 1000.0})
      print(t.number, t.x, t.repeat, t.repeat_of, t.seed)
    }
    let b = st.best
    print("best", b.number, b.params.x, b.runs, b.values.count, st.stop_reason)
    print("mean", b.value == b.values.reduce(0.0, fn(a, v) { a + v }) / 3.0)
    print("rows", history(st).filter(fn(h) { h.get("repeat_of") != nil }).count)
    """

    @Test func finalistsAreRepeatedWithNewSeedsAndBestIsTheMean() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(Self.script)
        let lines = out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let trials = lines.filter { $0.count == 5 }
        #expect(trials.count == 9)
        let originals = trials.prefix(5)
        let repeats = trials.suffix(4)
        #expect(originals.allSatisfy { $0[2] == "0" && $0[3] == "nil" })
        #expect(repeats.map { $0[2] } == ["1", "2", "1", "2"])
        let idOfX = Dictionary(uniqueKeysWithValues: originals.map { ($0[1], $0[0]) })
        #expect(repeats.map { $0[1] } == ["1", "1", "2", "2"])
        #expect(repeats.allSatisfy { $0[3] == idOfX[$0[1]] })
        #expect(Set(trials.map { $0[4] }).count == 9, "every trial has its own seed")
        #expect(out.contains("best \(idOfX["1"]!) 1 3 3 exhausted\n"))
        #expect(out.contains("mean true\nrows 4\n"))
        // `looplab best` and `looplab studies` rank the same way st.best does.
        let db = try Store(path: store.path)
        let study = try #require(try db.study(named: "rep"))
        let best = try #require(try db.bestConfiguration(studyID: study.id))
        #expect("\(best.trial.number)" == idOfX["1"] && best.runs == 3 && best.mean < 1.1)
        try db.close()

        // A rerun finds every repeat done: nothing runs, and the winner is the same.
        let again = try store.run(Self.script)
        #expect(again.hasPrefix("best \(idOfX["1"]!) 1 3 3 exhausted\n"))
    }

    @Test func allowRepeatLetsAStudyRevisitConfigurations() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let a = study("ar", space: space {k: choice(1, 2)}, strategy: "random", max_trials: 6, allow_repeat: true,
                      max_near_duplicates: 100)
        for t in a { remember(t, {loss: float(t.k)}) }
        print(a.count, a.stop_reason)
        let b = study("nar", space: space {k: choice(1, 2)}, strategy: "random", max_trials: 6)
        for t in b { remember(t, {loss: float(t.k)}) }
        print(b.count, b.stop_reason)
        print(propose(space {k: choice(1, 2)}, n: 3, history: [{k: 1}, {k: 2}], strategy: "random"))
        print(propose(space {k: choice(1, 2)}, n: 1, history: [{k: 1}, {k: 2}], strategy: "random", allow_repeat: true).count)
        """)
        #expect(out == "6 max_trials\n2 exhausted\n[]\n1\n")
    }

    @Test func batchesFromAStudyAreDistinctAndUntried() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("batch", space: space {x: integers(0, 9), y: choice("a", "b")}, strategy: "tpe", max_trials: 6)
        var ok = true
        for t in st {
          # Inside the body the running trial counts as tried too.
          let batch = propose(st, n: 4)
          let keys = batch.map(fn(c) { "\\(c.x)\\(c.y)" })
          let tried = history(st).map(fn(h) { "\\(h.params.x)\\(h.params.y)" })
          for i in 0..<keys.count {
            ok = ok and not tried.contains(keys[i])
            for j in 0..<i { ok = ok and keys[i] != keys[j] }
          }
          ok = ok and batch.count == 4
          remember(t, {loss: float(t.x)})
        }
        print(ok)
        """)
        #expect(out == "true\n")
    }

    @Test func trialMembersWinOverParametersOfTheSameName() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("names", space: space {id: uniform(0.5, 0.6), params: choice("p"), status: integers(7, 7), lr: uniform(0.1, 0.2)},
                       strategy: "random", max_trials: 2)
        for t in st {
          print(t.number, type(t.params), t.status, t.params.id > 0.4, t.params.params, t.get("status"), t.params.status, t.lr == t.params.lr)
          remember(t, {loss: t.params.id})
        }
        """)
        #expect(out == "0 Record running true p 7 7 true\n1 Record running true p 7 7 true\n")
    }
}
