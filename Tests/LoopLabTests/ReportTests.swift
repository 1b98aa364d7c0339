import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LoopStore
import Testing

/// The study report: one self-contained HTML file whose every drawn number comes from the store.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct ReportTests {
    /// The elements of every inline SVG of a page, parsed as XML (which proves each well formed).
    final class SVGElements: NSObject, XMLParserDelegate {
        struct Element { var name: String; var attributes: [String: String]; var group: [String: String] }
        var elements: [Element] = []
        var title: String?
        private var groups: [[String: String]] = []
        private var inTitle = false
        private var textInTitle = ""

        func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "g" { groups.append(attributes) }
            if name == "text", attributes["class"] == "title" { inTitle = true; textInTitle = "" }
            elements.append(Element(name: name, attributes: attributes, group: groups.last(where: { $0["class"] == "series" || $0["class"] == "bar" }) ?? [:]))
        }
        func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "g" { _ = groups.popLast() }
            if name == "text", inTitle { title = textInTitle; inTitle = false }
        }
        func parser(_ p: XMLParser, foundCharacters string: String) { if inTitle { textInTitle += string } }

        func circles(series: String) -> [(Double, Double)] {
            elements.filter { $0.name == "circle" && $0.group["data-name"] == series }
                .map { (Double($0.attributes["data-x"]!)!, Double($0.attributes["data-y"]!)!) }
        }
    }

    /// Each chart of the page by its title.
    static func charts(_ html: String) throws -> [String: SVGElements] {
        var charts: [String: SVGElements] = [:]
        var rest = Substring(html)
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let fragment = String(rest[start.lowerBound..<end.upperBound])
            let parser = XMLParser(data: Data(fragment.utf8))
            let elements = SVGElements()
            parser.delegate = elements
            #expect(parser.parse(), "an SVG is not well formed: \(fragment.prefix(200))")
            charts[elements.title ?? "untitled \(charts.count)"] = elements
            rest = rest[end.upperBound...]
        }
        return charts
    }

    static let study = """
    let st = study("rep", space: space {lr: loguniform(1e-4, 1e-1), width: integers(8, 64), act: choice("relu", "gelu")},
                   goal: maximize("acc"), strategy: "random", seed: 3, max_trials: 30, patience: 100)
    for t in st {
      if t.number == 5 { fail(t, "out of memory") } else {
        let acc = 1 - (log10(t.lr) + 2) ** 2 * 0.1 - abs(t.width - 40) / 400 + if t.act == "gelu" { 0.01 } else { 0 }
        for step in 1...3 { report(t, step, acc * step / 3) }
        if t.number == 7 { prune(t) } else { remember(t, {acc: acc}) }
      }
    }
    remember("gelu helps a little", tags: ["act"])
    """

    @Test func everyChartMatchesTheStore() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        _ = try store.run(Self.study)
        let output = store.directory.appendingPathComponent("rep.html")
        let r = try runLooplab(["report", "rep", "--store", store.path, "-o", output.path])
        #expect(r.status == 0 && r.stdout == "wrote \(output.path)\n", "\(r.stderr)")
        let html = try String(contentsOf: output, encoding: .utf8)
        let db = try Store(path: store.path)
        defer { try? db.close() }
        let trials = try db.trials(studyID: try #require(try db.study(named: "rep")).id)
        let complete = trials.filter { $0.state == .complete }
        let charts = try Self.charts(html)

        // History: a point per complete trial at (number, value), and the best so far never falls.
        let history = try #require(charts["Optimisation history"])
        #expect(history.circles(series: "trials").map(\.0) == complete.map { Double($0.number) })
        #expect(history.circles(series: "trials").map(\.1) == complete.map { $0.value! })
        let best = history.circles(series: "best so far").map(\.1)
        #expect(best == best.sorted() && best.last == complete.map { $0.value! }.max())
        // The distribution: sorted values against their cumulative share.
        let edf = try #require(charts["Empirical distribution of acc"]).circles(series: "")
        #expect(edf.map(\.0) == complete.map { $0.value! }.sorted())
        #expect(edf.map(\.1) == (1...complete.count).map { Double($0) / Double(complete.count) })
        // Importances: one bar per parameter, summing to 1.
        let bars = try #require(charts["Parameter importance (fANOVA)"]).elements.filter { $0.name == "g" && $0.attributes["class"] == "bar" }
        #expect(Set(bars.map { $0.attributes["data-label"]! }) == ["lr", "width", "act"])
        #expect(abs(bars.map { Double($0.attributes["data-value"]!)! }.reduce(0, +) - 1) < 1e-9)
        // Slices: each numeric parameter's values against the objective.
        let lr = try #require(charts["Slice: lr"]).circles(series: "")
        #expect(lr.map(\.0) == complete.map { $0.params["lr"]!.doubleValue! } && lr.map(\.1) == complete.map { $0.value! })
        let width = try #require(charts["Slice: width"]).circles(series: "")
        #expect(width.map(\.0) == complete.map { $0.params["width"]!.doubleValue! })
        #expect(try #require(charts["Slice: act"]).circles(series: "").count == complete.count)
        // Parallel coordinates: a line per complete trial; intermediate values: a curve per trial that reported.
        #expect(try #require(charts["Parallel coordinates"]).elements.filter { $0.name == "polyline" }.count == complete.count)
        let curves = try #require(charts["Intermediate values (pruned in red)"])
        let reported = trials.filter { $0.state != .failed }
        #expect(curves.elements.filter { $0.name == "polyline" }.count == reported.count)
        #expect(curves.elements.filter { $0.name == "polyline" && $0.attributes["stroke"] == "#d62728" }.count == 1)
        #expect(curves.circles(series: "trial 0").map(\.1) == (try db.reports(trialID: trials[0].id)).map { $0.value! })
        // The contour shows every complete trial; the timeline every trial.
        let contour = try #require(charts.first { $0.key.hasPrefix("Contour: ") }?.value)
        #expect(contour.elements.filter { $0.name == "circle" }.count == complete.count)
        #expect(try #require(charts["Timeline (a lane per process)"]).elements.filter { $0.name == "rect" && $0.attributes["data-start"] != nil }.count == trials.count)
        // The table has a row per trial; the notes, guardrails and stop reason are there.
        #expect(html.components(separatedBy: "<tr class=").count - 1 == trials.count)
        #expect(html.contains("<tr class=\"failed\"><td>5</td><td>failed</td>") && html.contains("out of memory"))
        #expect(html.contains("gelu helps a little") && html.contains("<dt>max_trials</dt><dd>30</dd>"))
        #expect(html.contains("stopped by <b>max_trials</b>"))
        // Self-contained: nothing is fetched.
        #expect(!html.contains("<link") && !html.contains(" src=") && !html.contains("https://"))
        #expect(html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\"").count - 1)
    }

    @Test func reportFromTheLanguageAndErrors() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(Self.study + """

        print(report(st, \(store.file("a.html"))) == \(store.file("a.html")))
        print(try { report("nope", \(store.file("b.html"))) } catch e { e.message })
        """)
        #expect(out.hasSuffix("true\nreport: no study named 'nope' in \(store.path); studies: rep\n"))
        #expect(FileManager.default.fileExists(atPath: store.directory.appendingPathComponent("a.html").path))
        let missing = try runLooplab(["report", "nope", "--store", store.path])
        #expect(missing.status == 1 && missing.stderr.contains("no study named 'nope' in \(store.path)") && missing.stderr.contains("studies: rep"))
        let byDefault = try runLooplab(["report", "rep", "--store", store.path], directory: store.directory)
        #expect(byDefault.stdout == "wrote rep-report.html\n")
    }
}
