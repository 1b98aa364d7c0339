import Foundation
import LoopLab
import LoopLang
import Testing

/// Spaces, `propose`, memory (`remember`/`recall`/`history`), `export`, and the errors bad
/// arguments give.
@Suite struct ResearchPrimitivesTests {
    @Test func spacesPrintAndCount() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let s = space {lr: loguniform(1e-4, 0.1), k: integers(0, 10, step: 5), act: choice("relu", "gelu"), flag: [true, false]}
        print(s)
        print(s.names, s.size, type(s), type(uniform(0, 1)))
        print(space {a: integers(1, 3), b: choice(1, 2)}.size)
        """)
        #expect(out == """
        {lr: loguniform(0.0001, 0.1), k: integers(0, 10, step: 5), act: choice("relu", "gelu"), flag: choice(true, false)}
        ["lr", "k", "act", "flag"] nil Space Distribution
        6

        """)
    }

    @Test func conditionalParameters() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let s = space {layers: integers(1, 3), act: choice("relu", "gelu") when layers >= 2, slope: uniform(0.0, 1.0) when act == "relu"}
        print(s)
        var ok = true
        for c in propose(s, n: 30, strategy: "random") {
          ok = ok and (c.layers >= 2) == c.has("act") and (c.has("act") and c.act == "relu") == c.has("slope")
        }
        print(ok)
        """)
        #expect(out == """
        {layers: integers(1, 3), act: choice("relu", "gelu") when layers >= 2, slope: uniform(0.0, 1.0) when act == "relu"}
        true

        """)
        let error = try #require(store.error(#"uniform(0, 1).when("no operator")"#))
        #expect(error.message.contains(#"expected a condition like "layers > 1""#))
    }

    @Test func proposeStandAlone() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let s = space {x: uniform(-2.0, 2.0), k: integers(1, 4)}
        let batch = propose(s, n: 5, strategy: "sobol", seed: 3)
        var distinct = []
        for c in batch { if not distinct.contains(c) { distinct.append(c) } }
        print(batch.count, distinct.count, type(batch[0].x), type(batch[0].k))
        var history = []
        for i in 0..<12 {
          let c = propose(s, history: history, seed: 1)[0]
          history.append({params: c, value: c.x * c.x + float(c.k)})
        }
        let next = propose(s, n: 2, strategy: "gp", history: history)
        print(next.count, history.count)
        print(propose(space {k: integers(1, 2)}, n: 5, strategy: "grid").count)
        """)
        #expect(out == "5 5 Float Int\n2 12\n2\n")
    }

    @Test func badArgumentsGiveClearErrors() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let cases: [(String, String)] = [
            ("uniform(1, 0)", "uniform: the range 1.0...0.0 is empty"),
            ("loguniform(0, 1)", "loguniform: needs a low bound > 0, got 0.0"),
            ("integers(1, 5, step: 0)", "integers: step must be > 0"),
            ("choice()", "choice: no values given"),
            ("space {lr: 3}", "space: 'lr' must be uniform(..)"),
            (#"space {a: uniform(0, 1).when("b > 1")}"#, "'a' depends on 'b'"),
            (#"study("x")"#, "'x' does not exist yet; give its space"),
            (#"study("x", space: space {a: uniform(0, 1)}, strategy: "magic")"#, #"unknown strategy "magic""#),
            (#"study("x", space: space {a: uniform(0, 1)}, max_trials: 0)"#, "max_trials must be at least 1"),
            (#"propose(space {a: uniform(0, 1)}, n: 0)"#, "n must be at least 1"),
            (#"remember(3)"#, "remember: expected a Trial"),
            (#"export("nope", "x.tsv")"#, "no study named 'nope'"),
            (#"fail(1)"#, "fail: expected a Trial"),
        ]
        for (code, expected) in cases {
            let error = try #require(store.error(code), "\(code) should fail")
            #expect(error.kind == "research", "\(code)")
            #expect(error.message.contains(expected), "\(code): \(error.message)")
        }
        let metric = try #require(store.error("""
        let st = study("m", space: space {a: uniform(0, 1)}, goal: maximize("accuracy"))
        for t in st { remember(t, {acc: 0.5}) }
        """))
        #expect(metric.message == "the metrics have no 'accuracy' (the study's goal); got only acc")
        let twice = try #require(store.error("""
        let st = study("twice", space: space {a: uniform(0, 1)})
        for t in st { remember(t, 1.0); remember(t, 2.0) }
        """))
        #expect(twice.message == "trial 0 is already complete")
    }

    @Test func rememberAndRecall() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        _ = try store.run("""
        remember("lr above 0.05 diverged with batch norm", tags: ["lr", "stability"])
        remember(best_lr: 0.01, widths: [64, 128])
        let st = study("recall-me", space: space {a: uniform(0, 1)}, max_trials: 2)
        for t in st { remember(t, {loss: t.a}) }
        """)
        let out = try store.run("""
        let hits = recall("diverging lr")
        print(hits[0].kind, hits[0].snippet.contains("[diverged]"))
        let lr = recall("best_lr")
        print(lr[0].title, lr[0].value)
        print(recall("recall-me").map(fn(h) { h.kind }).contains("study"))
        print(recall("nothing matches this").count)
        """)
        #expect(out == """
        note true
        best_lr 0.01
        true
        0

        """)
    }

    @Test func exportFormats() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("exp", space: space {lr: choice(0.1, 0.01), act: choice("relu", "gelu")}, goal: maximize("acc"), strategy: "grid")
        for t in st {
          if t.lr == 0.1 and t.act == "gelu" { fail(t, "diverged, badly") } else { remember(t, {acc: 0.5, loss: 1}) }
        }
        print(export(st, \(store.file("r.tsv"))) == \(store.file("r.tsv")))
        export("exp", \(store.file("r.csv")))
        export(st, \(store.file("r.txt")), format: "jsonl")
        print(try { export(st, "r.unknown") } catch e { e.message })
        """)
        #expect(out.hasPrefix("true\nexport: cannot tell the format"))
        let tsv = try String(contentsOf: store.directory.appendingPathComponent("r.tsv"), encoding: .utf8)
        let lines = tsv.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0] == "trial\tacc\tstatus\tdescription")
        #expect(lines.contains { $0.hasSuffix("\tfailed\tact=gelu lr=0.1 | diverged, badly") })
        #expect(lines.filter { $0.contains("\t0.5\tcomplete\t") }.count == 3)
        let csv = try String(contentsOf: store.directory.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("trial,status,acc,param_act,param_lr,metric_acc,metric_loss,error\n"))
        #expect(csv.contains(",\"diverged, badly\"\n"))
        let jsonl = try String(contentsOf: store.directory.appendingPathComponent("r.txt"), encoding: .utf8)
        let first = try JSONSerialization.jsonObject(with: Data(jsonl.split(separator: "\n")[0].utf8)) as? [String: Any]
        #expect(first?["study"] as? String == "exp")
        #expect(first?["number"] as? Int == 0)
        #expect((first?["id"] as? Int ?? 0) >= 1)  // the store's key
    }

    @Test func finalEvalIsRecordedInTheStore() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
            let parts = split(dataset("blobs", n: 200, seed: 2), seed: 2)
            let model = mlp(parts, hidden: [8], seed: 2)
            train(model, parts.train, epochs: 1, progress: false)
            final_eval(model, parts.test)
            let hits = recall("final_eval")
            print(hits.count > 0, hits[0].kind)
            """)
        #expect(out == "true note\n")
    }

    @Test func registryPromotesThroughGatesAndRollsBack() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
            let parts = split(dataset("blobs", n: 200, seed: 3), seed: 3)
            let better = fn(new, champion) { champion == nil or new.accuracy > champion.metrics.accuracy }
            let m1 = mlp(parts, hidden: [8], seed: 1)
            train(m1, parts.train, epochs: 1, progress: false)
            let v1 = promote(m1, as: "blobs", metrics: {accuracy: 0.5}, gate: better)
            let v2 = promote(m1, as: "blobs", metrics: {accuracy: 0.4}, gate: better)
            let v3 = promote(m1, as: "blobs", metrics: {accuracy: 0.9}, gate: better)
            print(v1.version, v1.status, v2.status, v3.status, v1.artifact != nil)
            print(champion("blobs").version, versions("blobs").map(fn(v) { v.status }))
            print(rollback("blobs").version, champion("blobs").metrics.accuracy)
            print(champion("nothing"))
            print(try { promote(m1, as: "x") } catch e { e.message.starts_with("promote: give a model's metrics") })
            """)
        #expect(out == """
            1 promoted rejected promoted true
            3 ["promoted", "rejected", "promoted"]
            1 0.5
            nil
            true

            """)
    }
}
