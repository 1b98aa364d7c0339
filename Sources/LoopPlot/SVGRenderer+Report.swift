extension SVGRenderer {
    public static func render(_ chart: ParallelCoordinates, size: Size = Size(width: 760, height: 380)) -> String {
        let n = SVGText.n
        let top = chart.title == nil ? 24.0 : 44.0, bottom = 36.0, left = 60.0, right = 60.0
        let count = max(chart.dimensions.count, 1)
        let gap = count > 1 ? (size.width - left - right) / Double(count - 1) : 0
        func ax(_ i: Int) -> Double { left + gap * Double(i) }
        func ay(_ u: Double) -> Double { size.height - bottom - u * (size.height - bottom - top) }
        var out = SVGText.header(width: size.width, height: size.height)
        if let title = chart.title { out += "<text class=\"title\" x=\"\(n(size.width / 2))\" y=\"22\" text-anchor=\"middle\">\(SVGText.escape(title))</text>\n" }
        out += "<g class=\"lines\" fill=\"none\" stroke-width=\"1\" stroke-opacity=\"0.55\">\n"
        for line in chart.lines {
            var coordinates: [String] = []
            for (i, u) in line.positions.enumerated() { if let u { coordinates.append("\(n(ax(i))),\(n(ay(u)))") } }
            out += "<polyline stroke=\"\(SVGText.scale(line.color))\" points=\"\(coordinates.joined(separator: " "))\"><title>\(SVGText.escape(line.label))</title></polyline>\n"
        }
        out += "</g>\n"
        for (i, d) in chart.dimensions.enumerated() {
            out += "<g class=\"axis\" data-name=\"\(SVGText.escape(d.name))\"><line class=\"frame\" x1=\"\(n(ax(i)))\" y1=\"\(n(ay(0)))\" x2=\"\(n(ax(i)))\" y2=\"\(n(ay(1)))\"/>"
            for t in d.ticks {
                out += "<text class=\"tick\" x=\"\(n(ax(i) + 4))\" y=\"\(n(ay(t.position) + 4))\">\(SVGText.escape(t.label))</text>"
            }
            out += "<text class=\"label\" x=\"\(n(ax(i)))\" y=\"\(n(top - 8))\" text-anchor=\"middle\">\(SVGText.escape(d.name))</text></g>\n"
        }
        return out + "</svg>\n"
    }

    public static func render(_ chart: Heatmap, size: Size = Size(width: 520, height: 420)) -> String {
        let n = SVGText.n
        let left = 64.0, right = 20.0, top = chart.title == nil ? 16.0 : 36.0, bottom = 62.0
        let area = (x0: left, y0: top, x1: size.width - right, y1: size.height - bottom)
        let rows = chart.cells.count, columns = chart.cells.first?.count ?? 0
        let xMap = AxisMap(domain: chart.x.range ?? 0...1, scale: chart.x.scale)
        let yMap = AxisMap(domain: chart.y.range ?? 0...1, scale: chart.y.scale)
        var out = SVGText.header(width: size.width, height: size.height)
        if let title = chart.title { out += "<text class=\"title\" x=\"\(n(size.width / 2))\" y=\"22\" text-anchor=\"middle\">\(SVGText.escape(title))</text>\n" }
        let span = chart.valueRange.upperBound - chart.valueRange.lowerBound
        func shade(_ v: Double) -> String {
            let t = span > 0 ? (v - chart.valueRange.lowerBound) / span : 0.5
            return SVGText.scale(chart.higherIsBetter ? t : 1 - t)
        }
        out += "<g class=\"cells\" data-area=\"\(n(area.x0)) \(n(area.y0)) \(n(area.x1)) \(n(area.y1))\">\n"
        if rows > 0, columns > 0 {
            let w = (area.x1 - area.x0) / Double(columns), h = (area.y1 - area.y0) / Double(rows)
            for r in 0..<rows {
                for c in 0..<columns {
                    guard let v = chart.cells[r][c] else { continue }
                    out += "<rect x=\"\(n(area.x0 + w * Double(c)))\" y=\"\(n(area.y1 - h * Double(r + 1)))\" width=\"\(n(w + 0.3))\" height=\"\(n(h + 0.3))\" fill=\"\(shade(v))\" data-value=\"\(v)\"><title>\(SVGRenderer.number(v))</title></rect>\n"
                }
            }
        }
        out += "</g><rect class=\"frame\" x=\"\(n(area.x0))\" y=\"\(n(area.y0))\" width=\"\(n(area.x1 - area.x0))\" height=\"\(n(area.y1 - area.y0))\"/>\n"
        out += "<g class=\"points\">\n"
        for p in chart.points where p.x.isFinite && p.y.isFinite {
            let cx = area.x0 + xMap.unit(p.x) * (area.x1 - area.x0), cy = area.y1 - yMap.unit(p.y) * (area.y1 - area.y0)
            out += "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"2\" fill=\"none\" stroke=\"#222\" stroke-opacity=\"0.6\" data-x=\"\(p.x)\" data-y=\"\(p.y)\"/>\n"
        }
        out += "</g>\n"
        for (axis, map, horizontal) in [(chart.x, xMap, true), (chart.y, yMap, false)] {
            let ticks = Ticks.values(map.domain, scale: axis.scale)
            for (value, label) in zip(ticks, Ticks.labels(ticks)) {
                if horizontal {
                    let x = area.x0 + map.unit(value) * (area.x1 - area.x0)
                    out += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(area.y1 + 16))\" text-anchor=\"middle\">\(SVGText.escape(label))</text>\n"
                } else {
                    let y = area.y1 - map.unit(value) * (area.y1 - area.y0)
                    out += "<text class=\"tick\" x=\"\(n(area.x0 - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(SVGText.escape(label))</text>\n"
                }
            }
        }
        if let label = chart.x.label {
            out += "<text class=\"label\" x=\"\(n((area.x0 + area.x1) / 2))\" y=\"\(n(area.y1 + 34))\" text-anchor=\"middle\">\(SVGText.escape(label))</text>\n"
        }
        if let label = chart.y.label {
            out += "<text class=\"label\" transform=\"translate(14 \(n((area.y0 + area.y1) / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGText.escape(label))</text>\n"
        }
        return out + "</svg>\n"
    }

    public static func render(_ chart: Timeline, size: Size = Size(width: 760, height: 0)) -> String {
        let n = SVGText.n
        let laneHeight = 22.0, left = 110.0, right = 20.0, top = chart.title == nil ? 12.0 : 36.0, bottom = 30.0
        let height = size.height > 0 ? size.height : top + laneHeight * Double(max(chart.lanes.count, 1)) + bottom
        let start = chart.spans.map(\.start).min() ?? 0, end = chart.spans.map(\.end).max() ?? 1
        let span = max(end - start, 1e-9)
        func x(_ t: Double) -> Double { left + (t - start) / span * (size.width - left - right) }
        var out = SVGText.header(width: size.width, height: height)
        if let title = chart.title { out += "<text class=\"title\" x=\"\(n(size.width / 2))\" y=\"22\" text-anchor=\"middle\">\(SVGText.escape(title))</text>\n" }
        for (i, lane) in chart.lanes.enumerated() {
            out += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(top + laneHeight * Double(i) + 15))\" text-anchor=\"end\">\(SVGText.escape(lane))</text>\n"
        }
        for s in chart.spans {
            let x0 = x(s.start), width = max(x(s.end) - x0, 1)
            out += "<rect x=\"\(n(x0))\" y=\"\(n(top + laneHeight * Double(s.lane) + 4))\" width=\"\(n(width))\" height=\"\(n(laneHeight - 8))\" "
                + "fill=\"\(chart.colors[s.kind] ?? "#999")\" data-start=\"\(s.start)\" data-end=\"\(s.end)\"><title>\(SVGText.escape(s.label))</title></rect>\n"
        }
        let ticks = Ticks.values(0...span, scale: .linear, target: 6)
        for (value, label) in zip(ticks, Ticks.labels(ticks)) {
            out += "<text class=\"tick\" x=\"\(n(x(start + value)))\" y=\"\(n(height - 10))\" text-anchor=\"middle\">\(SVGText.escape(label))s</text>\n"
        }
        return out + "</svg>\n"
    }
}
