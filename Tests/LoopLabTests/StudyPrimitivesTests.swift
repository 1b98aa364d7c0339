import Foundation
import LoopLab
import LoopLang
import Testing

/// `study`, `for t in st`, `remember(t, ...)`, `fail`, guardrails and resuming, through `.loop`
/// programs against a scratch store.
@Suite struct StudyPrimitivesTests {
    static func issueLoop(maxTrials: Int) -> String {
        syntheticObjective + """

        let st = study("digits-mlp", space: s, goal: maximize("accuracy"), strategy: "tpe", seed: 1,
                       max_trials: \(maxTrials), max_time: 10m, patience: 50)
        var ran = []
        for t in st {
          ran.append(t.number)
          remember(t, {accuracy: objective(t), loss: 1 - objective(t)})
        }
        print(ran)
        print(st.count, st.stop_reason, st.best.metrics.accuracy > 0.5, st.best.params.hidden)
        """
    }

    @Test func theIssueLoopRunsAndResumes() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let first = try store.run(Self.issueLoop(maxTrials: 12))
        #expect(first.hasPrefix("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n12 max_trials true"))
        // Re-running the same script runs nothing: every trial is complete.
        let again = try store.run(Self.issueLoop(maxTrials: 12))
        #expect(again.hasPrefix("[]\n12 max_trials true"))
        // A larger budget continues where the study stopped.
        let more = try store.run(Self.issueLoop(maxTrials: 15))
        #expect(more.hasPrefix("[12, 13, 14]\n15 max_trials true"))
        let rows = try store.run(#"let h = history("digits-mlp"); print(h.count, h[0].status, h[14].number, type(h[0].params.lr))"#)
        #expect(rows == "15 complete 14 Float\n")
        // Reopening by name keeps the stored space, goal and guardrails.
        let reopened = try store.run(#"let st = study("digits-mlp"); for t in st { print(t.number) }; print(st.goal, st.stop_reason, st.goal.metric, st.goal.maximize)"#)
        #expect(reopened == "maximize(\"accuracy\") max_trials accuracy true\n")
    }

    @Test func trialMembers() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(syntheticObjective + """

        let st = study("m", space: s, goal: minimize("loss"), strategy: "random", max_trials: 20)
        var ok = true
        for t in st {
          ok = ok and t.lr == t.params.lr and t.get("hidden") == t.hidden and t.status == "running"
          ok = ok and (if t.layers > 1 { t.dropout != nil } else { t.dropout == nil })
          let done = remember(t, objective(t))
          ok = ok and done.status == "complete" and t.status == "complete" and t.value == done.value
        }
        print(ok, type(st), st.best.number >= 0, st.goal)
        """)
        #expect(out == "true Study true minimize(\"loss\")\n")
    }

    @Test func errorsFailTheTrialAndTheStudyGoesOn() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(syntheticObjective + """

        let st = study("errors", space: s, goal: maximize("accuracy"), strategy: "random", max_trials: 8, max_failures: 10)
        for t in st {
          if t.number == 0 { error("out of memory") }        # fails this trial; the study goes on
          if t.number == 1 { continue }                      # skipped remember: failed by the iterator
          if t.number == 2 {
            try { error("nan loss", kind: "train") } catch e { fail(t, e) }
            continue
          }
          remember(t, {accuracy: objective(t)})
        }
        let h = history(st)
        print(h.count, [h[0].status, h[1].status, h[2].status, h[3].status], st.stop_reason)
        print(h[0].error)
        print(h[2].error)
        print(h[1].error)
        """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == #"8 ["failed", "failed", "failed", "complete"] max_trials"#)
        #expect(lines[1].hasPrefix("error error: out of memory at "))
        #expect(lines[2] == "train: nan loss")
        #expect(lines[3].contains("without remember"))
    }

    @Test func interruptsAndRuntimeErrorsOutsideTrialsStillPropagate() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let error = try #require(store.error(syntheticObjective + """

        let st = study("outside", space: s, goal: maximize("accuracy"), strategy: "random", max_trials: 3)
        for t in st { remember(t, {accuracy: objective(t)}) }
        for t in st { }
        undefined_after_loop()
        """))
        #expect(error.message == "undefined variable 'undefined_after_loop'")
    }

    @Test func maxTimeStopsTheStudy() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(syntheticObjective + """

        let st = study("timed", space: s, goal: maximize("accuracy"), strategy: "random", max_time: 10s)
        for t in st { remember(t, {accuracy: objective(t)}) }
        print(st.stop_reason, st.count < 10)
        """, clock: SteppingClock(step: 1))
        #expect(out == "max_time true\n")
    }

    @Test func patienceStopsTheStudy() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(syntheticObjective + """

        let st = study("flat", space: s, goal: maximize("accuracy"), strategy: "random", patience: 5, min_delta: 0.01)
        for t in st { remember(t, {accuracy: 0.5 + 0.001 * t.number}) }
        print(st.stop_reason, st.count)
        """)
        #expect(out == "patience 6\n")
    }

    @Test func failuresInARowAndRepeatedErrors() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        // A study that stops because its trials keep failing raises a catchable `study` error
        // after the loop (uncaught, the script exits 1: StudyExitTests).
        let out = try store.run(syntheticObjective + """

        let a = study("failing", space: s, strategy: "random", max_failures: 4, max_repeated_error: 10)
        try { for t in a { fail(t, "error \\(t.number)") } } catch e { print(e.kind, e.message) }
        let b = study("looping", space: s, strategy: "random", max_failures: 10)
        try { for t in b { try { error("shape mismatch") } catch e { fail(t, e) } } } catch e { print(e.kind, e.message) }
        print(a.stop_reason, a.count, b.stop_reason, b.count)
        """)
        #expect(out == """
            study study 'failing' stopped: 4 trials in a row failed (max_failures: 4); the last was trial 3: error 3
            study study 'looping' stopped: 3 trials in a row failed with the same error (max_repeated_error: 3); the last was trial 2: error: shape mismatch
            max_failures 4 repeated_error 3

            """)
    }

    @Test func aFiniteSpaceRunsOut() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("grid", space: space {k: integers(1, 3), act: choice("relu", "gelu")}, strategy: "grid")
        for t in st { remember(t, {loss: float(t.k)}) }
        print(st.stop_reason, st.count, st.best.params)
        """)
        #expect(out == "exhausted 6 {k: 1, act: \"relu\"}\n" || out == "exhausted 6 {k: 1, act: \"gelu\"}\n")
    }

    @Test func pruningWithReports() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(syntheticObjective + """

        let st = study("pruned", space: s, goal: minimize("loss"), strategy: "random", max_trials: 12)
        var pruned = 0
        for t in st {
          var stopped = false
          for step in 1...4 {
            report(t, step, float(t.number % 3) + 1.0 / float(step))
            if t.should_prune() { prune(t); pruned += 1; stopped = true; break }
          }
          if not stopped { remember(t, {loss: float(t.number % 3)}) }
        }
        print(pruned > 0, st.trials.filter(fn(r) { r.status == "pruned" }).count == pruned)
        let asha = study("asha", space: s, strategy: "random", max_trials: 12, pruner: "asha")
        var stops = []
        for t in asha {
          var stopped = false
          for step in 1...9 {
            report(t, step, float(t.number % 4) + 1.0 / float(step))
            if t.should_prune() { prune(t); stops.append(step); stopped = true; break }
          }
          if not stopped { remember(t, {loss: float(t.number % 4)}) }
        }
        print(stops.count > 0, stops.filter(fn(s) { not (s == 1 or s == 3 or s == 9) }).count == 0)
        let none = study("none", space: s, strategy: "random", max_trials: 12, pruner: "none")
        var asked = 0
        for t in none {
          for step in 1...4 {
            report(t, step, float(t.number % 3) + 1.0 / float(step))
            if t.should_prune() { asked += 1 }
          }
          remember(t, {loss: float(t.number % 3)})
        }
        print(asked, none.trials.filter(fn(r) { r.status == "complete" }).count)
        print(try { study("bad", space: s, pruner: "hyperband") } catch e { e.message })
        """)
        #expect(out == "true true\ntrue true\n0 12\nstudy: pruner must be \"median\", \"asha\" or \"none\", got \"hyperband\"\n")
    }

    @Test func theSpaceMayGrowButNotShrink() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        _ = try store.run("""
        let st = study("grow", space: space {k: integers(1, 3)}, strategy: "random", max_trials: 3)
        for t in st { remember(t, {loss: float(t.k)}) }
        """)
        let grown = try store.run("""
        let st = study("grow", space: space {k: integers(1, 5), act: choice("relu", "gelu")}, strategy: "random", max_trials: 5)
        for t in st { remember(t, {loss: float(t.k)}) }
        print(st.count, history(st)[0].params)
        """)
        #expect(grown.hasPrefix("5 {k: "))
        let error = try #require(store.error(#"study("grow", space: space {k: integers(2, 3)})"#))
        #expect(error.kind == "research")
        #expect(error.message.contains("may only grow"))
    }
}

/// A metric keeps the type it was remembered with, through the store and back.
@Suite struct MetricTypesTests {
    @Test func wholeNumberMetricsStayIntsAndFloatsStayFloats() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("types", space: space {lr: loguniform(0.001, 0.1)}, goal: maximize("acc"), max_trials: 2)
        for t in st { remember(t, {acc: 1.0, epochs: 5, loss: 0.25, steps: -3}) }
        let m = st.best.metrics
        print(m.epochs, type(m.epochs), m.acc, type(m.acc), type(m.loss), m.steps)
        """)
        #expect(out == "5 Int 1.0 Float Float -3\n")
        // A new process reads the same types back from the database.
        let again = try store.run(#"""
        let h = history("types")
        print(h[1].metrics.epochs, type(h[1].metrics.epochs), type(h[1].metrics.acc), type(study("types").best.metrics.epochs))
        """#)
        #expect(again == "5 Int Float Int\n")
    }

    @Test func aBareIntGoalStaysInt() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("n", space: space {k: integers(1, 9)}, goal: minimize("errors"), max_trials: 3)
        for t in st { remember(t, t.k) }
        print(type(history("n")[0].metrics.errors), type(st.best.value))
        """)
        #expect(out == "Int Float\n")
    }
}
