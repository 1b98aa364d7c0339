import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LoopPlot
import Testing

struct TickTests {
    @Test func linearTicksAreRoundAndCoverTheDomain() {
        #expect(Ticks.values(0...1, scale: .linear) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(Ticks.values(0.3...0.9, scale: .linear) == [0.4, 0.6, 0.8])
        #expect(Ticks.values(-7...23, scale: .linear) == [0, 10, 20])
        #expect(Ticks.values(-7...23, scale: .linear).map { $0.sign } == [.plus, .plus, .plus])  // never -0
        #expect(Ticks.labels([0, 0.2, 0.4]) == ["0.0", "0.2", "0.4"])
        #expect(Ticks.labels([0, 5, 10]) == ["0", "5", "10"])
        #expect(Ticks.labels([-0.0, 1]) == ["0", "1"])
    }

    @Test func logTicksArePowersOfTen() {
        #expect(Ticks.values(1e-4...0.1, scale: .log) == [1e-4, 1e-3, 1e-2, 1e-1])
        #expect(Ticks.labels([1e-4, 1e-3, 1e-2, 1e-1]) == ["1e-4", "1e-3", "1e-2", "1e-1"])
        #expect(Ticks.values(1...50, scale: .log) == [1, 2, 5, 10, 20, 50])
    }

    @Test func degenerateDomainsStillGiveTicks() {
        #expect(!Ticks.values(3...3, scale: .linear).isEmpty)
        #expect(!Ticks.values(0...Double.greatestFiniteMagnitude, scale: .linear).isEmpty)
        let flat = SVGRenderer.render(Chart(series: [Series("", values: [2, 2, 2])]))
        #expect(flat.contains("data-y-domain=\"1.8 2.2\""))
        #expect(SVGRenderer.render(Chart(series: [])).contains("data-x-domain=\"0.0 1.0\""))
    }
}

struct TerminalRendererTests {
    @Test func brailleDotsFollowTheData() {
        #expect(DotCanvas.brailleBit(dx: 0, dy: 0) == 0x01 && DotCanvas.brailleBit(dx: 1, dy: 3) == 0x80)
        var canvas = DotCanvas(columns: 2, rows: 1, glyphs: .braille)
        canvas.set(0, 0, series: 0)
        canvas.set(3, 3, series: 0)
        #expect(canvas.row(0, color: false) == "\u{2801}\u{2880}")
        canvas.set(99, -1, series: 0)  // off the canvas: ignored
        #expect(canvas.row(0, color: false) == "\u{2801}\u{2880}")
    }

    @Test func aRisingLineRisesAndFitsTheWidth() {
        let chart = Chart(title: "loss", x: Axis(label: "step"), series: [Series("train", values: (0...20).map(Double.init))])
        let text = TerminalRenderer.render(chart, style: TerminalStyle(width: 50, height: 8, unicode: true))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.allSatisfy { $0.count <= 50 })
        #expect(lines.first?.trimmingCharacters(in: .whitespaces) == "loss")
        // The top plot row has dots only at its right end, the bottom one only at its left.
        let plotRows = lines.filter { $0.contains("│") || $0.contains("┤") }
        let top = plotRows.first!, bottom = plotRows.last!
        let axisColumn = { (row: String) in row.firstIndex { $0 == "│" || $0 == "┤" }! }
        let topDots = top[top.index(after: axisColumn(top))...]
        let bottomDots = bottom[bottom.index(after: axisColumn(bottom))...]
        #expect(topDots.hasSuffix(String(topDots.trimmingCharacters(in: .whitespaces))) && topDots.first == " ")
        #expect(bottomDots.first != " ")
        #expect(text.contains("20"))  // the largest y tick
        #expect(lines.contains { $0.contains("step") })
        #expect(lines.last?.contains("train") == true)  // the legend
    }

    @Test func asciiModeUsesOnlyASCII() {
        let chart = Chart(series: [Series("a", values: [1, 3, 2]), Series("b", values: [2, 1, 3], mark: .points)])
        let text = TerminalRenderer.render(chart, style: TerminalStyle(width: 40, height: 6, unicode: false))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("*") && text.contains("+"))
        #expect(text.contains("* a") && text.contains("+ b"))
    }

    @Test func withoutColourSeveralSeriesGetMarksOfTheirOwn() {
        let chart = Chart(series: [Series("a", values: [1, 3, 2]), Series("b", values: [2, 1, 3])])
        let plain = TerminalRenderer.render(chart, style: TerminalStyle(width: 40, height: 6, unicode: true, color: false))
        #expect(plain.contains("• a") && plain.contains("× b"))
        #expect(!plain.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
        let coloured = TerminalRenderer.render(chart, style: TerminalStyle(width: 40, height: 6, unicode: true, color: true))
        #expect(coloured.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        let index = TerminalRenderer.render(Chart(series: [Series("", values: [1, 2, 3])]), style: TerminalStyle(width: 60))
        #expect(!index.contains("0.5"))  // whole-number x values get whole-number ticks
    }

    @Test func coloursAreANSIOnlyWhenAsked() {
        let chart = Chart(series: [Series("a", values: [1, 2])])
        #expect(!TerminalRenderer.render(chart, style: TerminalStyle(color: false)).contains("\u{1B}["))
        #expect(TerminalRenderer.render(chart, style: TerminalStyle(color: true)).contains("\u{1B}[34m"))
    }

    @Test func logScaleDropsWhatItCannotShow() {
        let chart = Chart(y: Axis(scale: .log), series: [Series("", values: [0, -1, 1e-3, 1e-1, 10])])
        #expect(SVGRenderer.render(chart).contains("data-y-domain=\"0.001 10.0\""))
        let text = TerminalRenderer.render(chart, style: TerminalStyle(width: 40, height: 6))
        #expect(text.contains("1e-3") || text.contains("0.001"))
    }

    @Test func barsAreProportional() {
        let bars = BarChart(title: "importance", bars: [("lr", 0.6), ("hidden", 0.3), ("layers", 0.1)])
        let text = TerminalRenderer.render(bars, style: TerminalStyle(width: 40, unicode: false))
        let rows = text.split(separator: "\n").dropFirst().map { $0.filter { $0 == "#" }.count }
        #expect(rows[0] > rows[1] && rows[1] > rows[2] && abs(Double(rows[0]) / Double(rows[1]) - 2) < 0.2)
        #expect(text.contains("0.600"))
    }
}

struct SVGRendererTests {
    /// The circles of an SVG with their attributes, parsed as XML (which also proves it well formed).
    final class Collector: NSObject, XMLParserDelegate {
        var circles: [[String: String]] = []
        var plot: [String: String] = [:]
        var polylines = 0
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == "circle" { circles.append(attributes) }
            if name == "g", attributes["class"] == "plot" { plot = attributes }
            if name == "polyline" { polylines += 1 }
        }
    }

    func parse(_ svg: String) throws -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return collector
    }

    @Test func everyPointIsWhereItsDataSays() throws {
        let values = [0.91, 0.93, 0.88, 0.95, 0.94]
        let chart = Chart(title: "a <study> & its trials", series: [
            Series("trials", values: values, mark: .points),
            Series("best so far", values: [0.91, 0.93, 0.93, 0.95, 0.95], mark: .steps),
        ])
        let parsed = try parse(SVGRenderer.render(chart))
        let area = parsed.plot["data-area"]!.split(separator: " ").map { Double($0)! }
        let xDomain = parsed.plot["data-x-domain"]!.split(separator: " ").map { Double($0)! }
        let yDomain = parsed.plot["data-y-domain"]!.split(separator: " ").map { Double($0)! }
        #expect(xDomain == [0, 4] && yDomain == [0.88, 0.95])
        let trialPoints = parsed.circles.filter { $0["r"] == "3.2" }
        #expect(trialPoints.map { Double($0["data-y"]!)! } == values)
        for circle in trialPoints {
            let x = Double(circle["data-x"]!)!, y = Double(circle["data-y"]!)!
            let cx = area[0] + (x - xDomain[0]) / (xDomain[1] - xDomain[0]) * (area[2] - area[0])
            let cy = area[3] - (y - yDomain[0]) / (yDomain[1] - yDomain[0]) * (area[3] - area[1])
            #expect(abs(Double(circle["cx"]!)! - cx) < 0.01 && abs(Double(circle["cy"]!)! - cy) < 0.01)
        }
        #expect(parsed.polylines == 1)
    }

    @Test func barsAndEscapingAreWellFormed() throws {
        let svg = SVGRenderer.render(BarChart(title: "<x> & \"y\"", bars: [("a&b", 2), ("c", 1)]))
        _ = try parse(svg)
        #expect(svg.contains("data-value=\"2.0\"") && svg.contains("&lt;x&gt; &amp; &quot;y&quot;"))
    }
}
