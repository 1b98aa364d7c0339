import Foundation
import LoopLang
import Testing

/// The registry round trip: a trial keeps its model (`attach`), `promote(st.best, ...)` registers
/// it after the loop, and `load_model("name@champion")` / `("name@N")` read it back.
struct RegistryRoundTripTests {
    static let study = """
    let parts = split(dataset("spirals", n: 600, seed: 0), train: 0.7, val: 0.15, test: 0.15, seed: 0)
    let st = study("clf", space: space {hidden: choice(8, 32)}, goal: maximize("accuracy"), strategy: "grid")
    for t in st {
      let m = mlp(parts, hidden: [t.hidden], seed: 0)
      train(m, parts, epochs: 5, progress: false)
      remember(t, eval(m, parts.val))
      if t.hidden == 32 { attach(t, m) }
    }

    """

    @Test func promoteTheBestTrialAfterTheLoopAndLoadItBack() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(Self.study + """
        let best = st.best
        let v = promote(best, as: "spiral-clf")
        print(v.version, v.status, v.study, v.trial_number == best.number, v.trial == best.id, v.metrics == best.metrics)
        let champ = champion("spiral-clf")
        print(champ.checkpoint == v.checkpoint, str(load_model(champ.checkpoint)) == "<Model mlp 2-32-3, 195 params>", versions("spiral-clf")[0].checkpoint == v.checkpoint)
        let m = load_model("spiral-clf@champion")
        print(eval(m, parts.val).accuracy == best.metrics.accuracy, str(load_model("spiral-clf@1")) == str(m))
        """)
        #expect(out == "1 promoted clf true true true\ntrue true true\ntrue true\n")
    }

    @Test func whatTheRegistryLacksIsAClearError() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(Self.study + """
        let without = history(st).filter(fn(r) { r.params.hidden == 8 })[0]
        print(try { promote(without, as: "c") } catch e { e.message })
        print(try { promote({a: 1}, as: "c") } catch e { e.message })
        promote(st.best, as: "c", gate: fn(new, old) { false })
        print(try { load_model("c@champion") } catch e { e.message })
        print(try { load_model("c@2") } catch e { e.message })
        print(try { load_model("nope@champion") } catch e { e.message })
        print(try { load_model("missing.safetensors") } catch e { e.kind })
        """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "promote: trial 0 of study 'clf' has no model; call attach(t, model) in the loop body to keep it with the trial, or promote(model, as: \"c\", metrics: ...)")
        #expect(lines[1] == "promote() expects a Model, a Trial or a trial record (st.best, history(st)[i]) for 'candidate', got Record")
        #expect(lines[2] == "load_model: 'c' has no champion (no promoted version); versions: 1 rejected")
        #expect(lines[3] == "load_model: 'c' has no version 2; versions: 1 rejected")
        #expect(lines[4].hasPrefix("load_model: no model 'nope' in the registry of ") && lines[4].hasSuffix("(models: c)"))
        #expect(lines[5] == "train")
    }

    @Test func aTrialThatIsNotCompleteCannotBePromoted() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("f", space: space {x: uniform(0, 1)}, max_trials: 1)
        for t in st {
          attach(t, mlp(in: 1, hidden: [2], out: 1))
          print(try { promote(t, as: "f") } catch e { e.message })
          fail(t, "broken")
        }
        print(try { promote(history(st)[0], as: "f") } catch e { e.message })
        """)
        #expect(out == """
            promote: trial 0 of study 'f' is running, not complete; remember(t, metrics) first
            promote: trial 0 of study 'f' is failed, not complete; remember(t, metrics) first

            """)
    }
}

/// `looplab models` lists the registry the scripts filled.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct ModelsCommandTests {
    @Test func listsNamesVersionsAndChampions() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        _ = try store.run(RegistryRoundTripTests.study + """
        promote(st.best, as: "spiral-clf")
        promote(st.best, as: "spiral-clf", gate: fn(new, old) { false })
        """)
        let all = try runLooplab(["models", "--store", store.path])
        #expect(all.status == 0)
        let rows = all.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["model", "versions", "champion", "metrics", "from"])
        #expect(rows.count == 2 && rows[1].prefix(3) == ["spiral-clf", "2", "v1"] && rows[1].suffix(3) == ["clf", "trial", "1"])
        let one = try runLooplab(["models", "spiral-clf", "--store", store.path])
        #expect(one.stdout.contains("1 *      promoted"))
        #expect(one.stdout.contains("2        rejected"))
        let missing = try runLooplab(["models", "nope", "--store", store.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no model 'nope'") && missing.stderr.contains("models: spiral-clf"))
    }
}
