import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LoopLang
import LoopStore
import Testing

/// Plots, importances, tables and data at a glance, from `.loop`.
struct SeeingTests {
    @Test func dataAtAGlance() throws {
        let out = try runLoop("""
        let d = load_csv(\(loopString(repositoryRoot.appendingPathComponent("../shared/data/iris.csv").standardizedFileURL.path)))
        print(d.columns)
        print(head(d, 2))
        let s = describe(d)
        print(s.rows[0].column, s.rows[0].count, round(s.rows[0].mean, 3), s.rows[0].min, s.rows[0].max)
        print(value_counts(d).rows.map(fn(r) { r.count }), value_counts(["a", "b", "a"]).rows[0])
        let parts = split(d, seed: 0)
        let m = mlp(parts, hidden: [16], seed: 0)
        train(m, parts, epochs: 30, progress: false)
        let p = predict(m, parts.val)
        let c = confusion(m, parts.val)
        var diagonal = 0
        for i, row in c.rows.enumerated() { diagonal += row[str(i)] }
        print(p.count == parts.val.size, diagonal == round(eval(m, parts.val).accuracy * parts.val.size))
        print(try { confusion(m, parts.test) } catch e { e.kind })
        """)
        #expect(out == """
            ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm", "label"]
            sepal_length_cm  sepal_width_cm  petal_length_cm  petal_width_cm  label
                        5.1             3.5              1.4             0.2      0
                        4.9               3              1.4             0.2      0
            sepal_length_cm 150 5.843 4.300000190734863 7.900000095367432
            [50, 50, 50] {value: "a", count: 2, share: 0.6666666666666666}
            true true
            train

            """)
    }

    @Test func tablesAlignRecordsAndLists() throws {
        let out = try runLoop("""
        table([{name: "adam", lr: 0.001234567, steps: 100}, {name: "sgd", lr: 0.1, steps: 2000, note: "fast"}])
        print(format_table([["x", "y"], [1, 2.5], [10, nil]]))
        print(try { table([{a: 1}, [2]]) } catch e { e.message })
        """)
        #expect(out == """
            name        lr  steps  note
            adam  0.001235    100
            sgd        0.1   2000  fast
             x    y
             1  2.5
            10
            table: rows must all be records or all lists; found List

            """)
    }

    @Test func importancesRankTheParameterThatMatters() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let st = study("imp", space: space {a: uniform(0.0, 1.0), b: uniform(0.0, 1.0), c: choice("x", "y")}, strategy: "random", max_trials: 80)
        for t in st { remember(t, {loss: 10 * t.a + t.b}) }
        let i = importance(st, show: false)
        print(i.keys, round(i.a + i.b + i.c, 6), i.a > 0.8)
        importance(st)
        """)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "[\"a\", \"b\", \"c\"] 1.0 true")
        #expect(lines[1] == "parameter importance (fANOVA), study imp")
        #expect(lines[2].hasPrefix("a ") && lines[2].contains("█"))
    }

    @Test func plotsInTheTerminal() throws {
        let out = try runLoop("""
        let d = split(dataset("spirals", n: 300, seed: 0), seed: 0)
        let r = train(mlp(d, hidden: [16], seed: 0), d, epochs: 5, progress: false)
        plot(r, width: 60, height: 8, title: "spirals")
        plot([r, r], labels: ["a", "b"], width: 60, height: 6)
        plot([1, 10, 100, 1000], log: "y", width: 40, height: 6)
        print(try { plot("x") } catch e { e.kind })
        print(try { plot([1, 2], log: "z") } catch e { e.message })
        """)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].trimmingCharacters(in: .whitespaces) == "spirals")
        #expect(lines.contains { $0.contains("loss") && $0.contains("val_accuracy") && $0.contains("val_loss") })
        #expect(lines.contains { $0.contains("• a") && $0.contains("× b") })
        #expect(lines.contains { $0.hasPrefix("1000 ┤") })
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(out.hasSuffix("plot\nplot: log must be \"x\", \"y\" or \"xy\", got \"z\"\n"))
    }

    /// The SVG of a study: every trial's point sits where its value in the store says.
    @Test func aStudyPlotAsSVGMatchesTheStore() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let svg = store.directory.appendingPathComponent("st.svg")
        _ = try store.run("""
        let st = study("svg", space: space {x: uniform(0.0, 1.0)}, goal: maximize("acc"), strategy: "random", max_trials: 12)
        for t in st { if t.number == 3 { fail(t, "broken") } else { remember(t, {acc: 1 - (t.x - 0.4) ** 2}) } }
        plot(st, to: \(loopString(svg.path)))
        """)
        let text = try String(contentsOf: svg, encoding: .utf8)
        let parser = XMLParser(data: Data(text.utf8))
        final class Circles: NSObject, XMLParserDelegate {
            var points: [(Double, Double)] = []
            var inTrials = false
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "g", attributes["class"] == "series" { inTrials = attributes["data-name"] == "trials" }
                if name == "circle", inTrials { points.append((Double(attributes["data-x"]!)!, Double(attributes["data-y"]!)!)) }
            }
        }
        let circles = Circles()
        parser.delegate = circles
        #expect(parser.parse())
        let db = try Store(path: store.path)
        defer { try? db.close() }
        let trials = try db.trials(studyID: try #require(try db.study(named: "svg")).id).filter { $0.state == .complete }
        #expect(circles.points.count == 11)
        #expect(circles.points.map(\.0) == trials.map { Double($0.number) })
        #expect(circles.points.map(\.1) == trials.map { $0.value! })
    }
}

/// What the terminal can show decides how plots are drawn.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct PlotTerminalTests {
    @Test func asciiWhenAskedOrWhenTheLocaleIsNotUTF8AndWidthFromCOLUMNS() throws {
        let code = "plot({a: [1, 2, 3], b: [3, 2, 1]})"
        let ascii = try runLooplab(["-e", code], environment: ["LOOPLAB_ASCII": "1", "COLUMNS": "50"])
        #expect(ascii.stdout.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(ascii.stdout.split(separator: "\n").allSatisfy { $0.count <= 50 })
        #expect(ascii.stdout.contains("* a") && ascii.stdout.contains("+ b"))
        let cLocale = try runLooplab(["-e", code], environment: ["LC_ALL": "C", "LANG": "C", "COLUMNS": "70"])
        #expect(cLocale.stdout.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(cLocale.stdout.split(separator: "\n").contains { $0.count > 50 })
        let utf8 = try runLooplab(["-e", code], environment: ["LC_ALL": "C.UTF-8", "COLUMNS": "70"])
        #expect(utf8.stdout.contains("┤"))
    }
}

/// A study loop says how it goes: one line per trial when stderr is not a terminal.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct StudyProgressTests {
    @Test func oneLinePerTrialAndFailuresAlways() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let code = { (progress: Bool) in """
            let st = study("p\(progress)", space: space {x: uniform(0.0, 1.0)}, goal: maximize("acc"), strategy: "random", max_trials: 4, progress: \(progress))
            for t in st { if t.number == 2 { error("boom") } else { remember(t, {acc: t.x}) } }
            """ }
        let shown = try runLooplab(["run", "--store", store.path, "-"], stdin: code(true))
        let lines = shown.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(shown.stderr)")
        #expect(lines[0].hasPrefix("study ptrue: trial 0 (1/4)  acc "))
        #expect(lines[0].contains("best ") && lines[0].contains("elapsed ") && lines[0].contains("ETA "))
        #expect(lines[2].hasPrefix("study ptrue: trial 2 (3/4)  failed: error error: boom at "))
        let quiet = try runLooplab(["run", "--store", store.path, "-"], stdin: code(false))
        let quietLines = quiet.stderr.split(separator: "\n")
        #expect(quietLines.count == 1 && quietLines[0].contains("trial 2 (3/4)  failed"))
    }
}
