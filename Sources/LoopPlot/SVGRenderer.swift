import Foundation
import LoopSupport

/// Charts as standalone SVG: axes with ticks and labels, a polyline per line series, a circle
/// per point (with its data values in `data-x`/`data-y` and a hover title), a legend and a
/// title. The plot area and domains are written on the plot group (`data-area`,
/// `data-x-domain`, `data-y-domain`), so a reader can check every coordinate against the data.
public enum SVGRenderer {
    public struct Size: Sendable {
        public var width: Double
        public var height: Double
        public init(width: Double = 640, height: Double = 360) {
            self.width = width
            self.height = height
        }
    }

    public static func render(_ chart: Chart, size: Size = Size()) -> String {
        let (xMap, yMap) = chart.maps
        let hasLegend = chart.showsLegend
        let left = 64.0, right = 20.0, top = chart.title == nil ? 16.0 : 36.0
        let bottom = 48.0 + (chart.x.label == nil ? 0 : 16) + (hasLegend ? 22 : 0)
        let area = (x0: left, y0: top, x1: size.width - right, y1: size.height - bottom)
        func px(_ v: Double) -> Double { area.x0 + xMap.unit(v) * (area.x1 - area.x0) }
        func py(_ v: Double) -> Double { area.y1 - yMap.unit(v) * (area.y1 - area.y0) }

        var out = header(size)
        if let title = chart.title {
            out += "<text class=\"title\" x=\"\(n(size.width / 2))\" y=\"22\" text-anchor=\"middle\">\(escape(title))</text>\n"
        }
        out += "<g class=\"plot\" data-area=\"\(n(area.x0)) \(n(area.y0)) \(n(area.x1)) \(n(area.y1))\" "
            + "data-x-domain=\"\(xMap.domain.lowerBound) \(xMap.domain.upperBound)\" data-x-scale=\"\(chart.x.scale.rawValue)\" "
            + "data-y-domain=\"\(yMap.domain.lowerBound) \(yMap.domain.upperBound)\" data-y-scale=\"\(chart.y.scale.rawValue)\">\n"
        out += "<rect class=\"frame\" x=\"\(n(area.x0))\" y=\"\(n(area.y0))\" width=\"\(n(area.x1 - area.x0))\" height=\"\(n(area.y1 - area.y0))\"/>\n"
        let yTicks = Ticks.values(yMap.domain, scale: chart.y.scale)
        for (value, label) in zip(yTicks, Ticks.labels(yTicks)) {
            let y = py(value)
            out += "<line class=\"grid\" x1=\"\(n(area.x0))\" y1=\"\(n(y))\" x2=\"\(n(area.x1))\" y2=\"\(n(y))\"/>"
            out += "<text class=\"tick\" x=\"\(n(area.x0 - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(escape(label))</text>\n"
        }
        let xTicks = Ticks.values(xMap.domain, scale: chart.x.scale, target: 7, integers: chart.hasIntegerX)
        for (value, label) in zip(xTicks, Ticks.labels(xTicks)) {
            let x = px(value)
            out += "<line class=\"grid\" x1=\"\(n(x))\" y1=\"\(n(area.y0))\" x2=\"\(n(x))\" y2=\"\(n(area.y1))\"/>"
            out += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(area.y1 + 18))\" text-anchor=\"middle\">\(escape(label))</text>\n"
        }
        for (index, series) in chart.series.enumerated() {
            let color = series.color ?? Palette.hex(index)
            let points = chart.drawable(series)
            out += "<g class=\"series\" data-name=\"\(escape(series.name))\" data-mark=\"\(series.mark.rawValue)\">\n"
            switch series.mark {
            case .line, .steps:
                var coordinates: [String] = []
                for (i, p) in points.enumerated() {
                    if series.mark == .steps, i > 0 { coordinates.append("\(n(px(p.x))),\(n(py(points[i - 1].y)))") }
                    coordinates.append("\(n(px(p.x))),\(n(py(p.y)))")
                }
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
            case .points:
                break
            }
            // Every point is a circle carrying its data, so hover shows it and readers can check it.
            let radius = series.mark == .points ? 3.2 : 1.6
            for p in points {
                out += "<circle cx=\"\(n(px(p.x)))\" cy=\"\(n(py(p.y)))\" r=\"\(radius)\" fill=\"\(color)\" data-x=\"\(p.x)\" data-y=\"\(p.y)\">"
                    + "<title>\(escape(series.name.isEmpty ? "" : series.name + ": "))\(escape(number(p.x))), \(escape(number(p.y)))</title></circle>\n"
            }
            out += "</g>\n"
        }
        out += "</g>\n"
        var below = area.y1 + 36
        if let label = chart.x.label {
            out += "<text class=\"label\" x=\"\(n((area.x0 + area.x1) / 2))\" y=\"\(n(below))\" text-anchor=\"middle\">\(escape(label))</text>\n"
            below += 16
        }
        if let label = chart.y.label {
            out += "<text class=\"label\" transform=\"translate(14 \(n((area.y0 + area.y1) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(label))</text>\n"
        }
        if hasLegend {
            var x = area.x0
            for (index, series) in chart.series.enumerated() {
                out += "<g class=\"legend\"><rect x=\"\(n(x))\" y=\"\(n(below + 2))\" width=\"12\" height=\"4\" fill=\"\(series.color ?? Palette.hex(index))\"/>"
                    + "<text x=\"\(n(x + 16))\" y=\"\(n(below + 8))\">\(escape(series.name))</text></g>\n"
                x += 28 + Double(series.name.count) * 7
            }
        }
        return out + "</svg>\n"
    }

    /// Horizontal bars with their labels and values.
    public static func render(_ chart: BarChart, size: Size = Size()) -> String {
        let rowHeight = 22.0
        let top = chart.title == nil ? 10.0 : 34.0
        let height = top + rowHeight * Double(chart.bars.count) + 10
        let labelWidth = 8.0 + 7.0 * Double(chart.bars.map(\.label.count).max() ?? 0)
        let room = max(size.width - labelWidth - 70, 40)
        let largest = chart.bars.map { max($0.value, 0) }.max() ?? 0
        var out = header(Size(width: size.width, height: height))
        if let title = chart.title {
            out += "<text class=\"title\" x=\"\(n(size.width / 2))\" y=\"22\" text-anchor=\"middle\">\(escape(title))</text>\n"
        }
        for (i, bar) in chart.bars.enumerated() {
            let y = top + rowHeight * Double(i)
            let width = largest > 0 && bar.value.isFinite ? max(bar.value, 0) / largest * room : 0
            out += "<g class=\"bar\" data-label=\"\(escape(bar.label))\" data-value=\"\(bar.value)\">"
                + "<text class=\"tick\" x=\"\(n(labelWidth - 6))\" y=\"\(n(y + 15))\" text-anchor=\"end\">\(escape(bar.label))</text>"
                + "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 4))\" width=\"\(n(width))\" height=\"\(n(rowHeight - 8))\" fill=\"\(Palette.hex(0))\"/>"
                + "<text class=\"tick\" x=\"\(n(labelWidth + width + 6))\" y=\"\(n(y + 15))\">\(escape(number(bar.value)))</text></g>\n"
        }
        return out + "</svg>\n"
    }

    private static func header(_ size: Size) -> String { SVGText.header(width: size.width, height: size.height) }

    /// A coordinate with two decimals.
    static func n(_ v: Double) -> String { SVGText.n(v) }

    /// A data value as a person reads it: whole numbers without decimals, others to 6 digits.
    static func number(_ v: Double) -> String { NumberFormat.readable(v) }

    static func escape(_ text: String) -> String { SVGText.escape(text) }
}
