import Foundation
import LoopLang
import Testing

/// Unknown names suggest the names meant, wherever they are looked up: a trial's members, study
/// names on the command line and in the language.
struct ErrorsThatTeachTests {
    @Test func aTrialMemberTypoSuggestsTheParameter() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("s", space: space {lr: loguniform(1e-3, 1e-1), hidden: choice(8, 16)}, goal: maximize("acc"), max_trials: 1, progress: false)
        for t in st {
          let m = try { t.lrr } catch e { e.message }
          print(m)
          remember(t, {acc: 1})
        }
        """)
        #expect(out == "Trial has no member 'lrr'; did you mean 'lr'?\n")
    }

    @Test func studyNamesAreSuggestedInTheLanguageAndOnTheCommandLine() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        _ = try store.run("""
        let st = study("digits-mlp", space: space {k: integers(1, 2)}, goal: maximize("acc"), strategy: "grid", progress: false)
        for t in st { remember(t, {acc: t.k}) }
        """)
        let out = try store.run(#"try { history("digits-mpl") } catch e { print(e.message) }"#)
        #expect(out == "history: no study named 'digits-mpl' in \(store.path); did you mean 'digits-mlp'?\n")
        let cli = try runLooplab(["trials", "digit-mlp", "--store", store.path])
        #expect(cli.status == 1 && cli.stderr == "looplab: no study named 'digit-mlp' in \(store.path); did you mean 'digits-mlp'?\n")
        let far = try runLooplab(["best", "zebra", "--store", store.path])
        #expect(far.stderr == "looplab: no study named 'zebra' in \(store.path); studies: digits-mlp\n")
    }

    @Test func looplabDocShowsAPrimitiveAndSuggestsForATypo() throws {
        let doc = try runLooplab(["doc", "train"])
        #expect(doc.status == 0 && doc.stdout.hasPrefix("train(model, data, val: nil,") && doc.stdout.contains("\n  patience "))
        let typo = try runLooplab(["doc", "trian"])
        #expect(typo.status == 2 && typo.stderr == "looplab doc: 'trian' is not defined; did you mean 'train'?\n")
        let long = try runLooplab(["doc", String(repeating: "x", count: 100_000)])
        #expect(long.status == 2 && long.stderr.count < 200)
        let all = try runLooplab(["doc"])
        #expect(all.stdout.contains("\nstudy(name, space: nil,") && all.stdout.contains("\nload_csv(path, target: \"label\")\n"))
    }
}
