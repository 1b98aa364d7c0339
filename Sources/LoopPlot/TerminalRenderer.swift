/// How a chart is drawn in a terminal.
public struct TerminalStyle: Sendable {
    /// Columns for the whole chart, labels included.
    public var width: Int
    /// Rows of the plot area.
    public var height: Int
    /// Braille dots (2 × 4 per character cell) and box-drawing axes; false: plain ASCII.
    public var unicode: Bool
    /// ANSI colours per series.
    public var color: Bool

    public init(width: Int = 80, height: Int = 16, unicode: Bool = true, color: Bool = false) {
        self.width = max(width, 24)
        self.height = max(height, 4)
        self.unicode = unicode
        self.color = color
    }
}

/// Charts as text: a grid of braille dots (or ASCII marks) with a y axis of tick labels, an x axis
/// with labels under its ticks, the axis labels, a title and a legend.
public enum TerminalRenderer {
    public static func render(_ chart: Chart, style: TerminalStyle) -> String {
        let (xMap, yMap) = chart.maps
        let yTicks = Ticks.values(yMap.domain, scale: chart.y.scale)
        let yLabels = Ticks.labels(yTicks)
        let labelWidth = max(yLabels.map(\.count).max() ?? 1, 1)
        let columns = max(style.width - labelWidth - 2, 10)
        let rows = style.height
        // Braille cannot tell series apart without colour: then each series gets a mark of its own.
        let glyphs: DotCanvas.Glyphs = !style.unicode ? .asciiMarks
            : (chart.series.count > 1 && !style.color ? .unicodeMarks : .braille)
        var canvas = DotCanvas(columns: columns, rows: rows, glyphs: glyphs)

        for (index, series) in chart.series.enumerated() {
            let pixels = chart.drawable(series).map { p in
                (x: Int((xMap.unit(p.x) * Double(canvas.width - 1)).rounded()),
                 y: Int(((1 - yMap.unit(p.y)) * Double(canvas.height - 1)).rounded()))
            }
            switch series.mark {
            case .points:
                for p in pixels { canvas.set(p.x, p.y, series: index) }
            case .line:
                if pixels.count == 1 { canvas.set(pixels[0].x, pixels[0].y, series: index) }
                for (a, b) in zip(pixels, pixels.dropFirst()) { canvas.line(a.x, a.y, b.x, b.y, series: index) }
            case .steps:
                if pixels.count == 1 { canvas.set(pixels[0].x, pixels[0].y, series: index) }
                for (a, b) in zip(pixels, pixels.dropFirst()) {
                    canvas.line(a.x, a.y, b.x, a.y, series: index)
                    canvas.line(b.x, a.y, b.x, b.y, series: index)
                }
            }
        }

        let box = style.unicode ? BoxChars.unicode : BoxChars.ascii
        var lines: [String] = []
        if let title = chart.title { lines.append(pad(title, centeredIn: columns, after: labelWidth + 2)) }
        if let label = chart.y.label { lines.append(String(repeating: " ", count: labelWidth + 1) + label) }
        // Each y tick labels the row its value falls in (the nearest, when two share a row, wins).
        var rowLabels: [Int: String] = [:]
        for (value, text) in zip(yTicks, yLabels) {
            let row = Int(((1 - yMap.unit(value)) * Double(rows - 1)).rounded())
            if (0..<rows).contains(row), rowLabels[row] == nil { rowLabels[row] = text }
        }
        for row in 0..<rows {
            let label = rowLabels[row].map { String(repeating: " ", count: labelWidth - $0.count) + $0 }
                ?? String(repeating: " ", count: labelWidth)
            let axis = rowLabels[row] == nil ? box.vertical : box.tick
            lines.append(label + " " + axis + canvas.row(row, color: style.color))
        }
        // The x axis: a tick under each labelled value, and the labels under them, none overlapping.
        let xTicks = Ticks.values(xMap.domain, scale: chart.x.scale, target: max(2, min(8, columns / 10)), integers: chart.hasIntegerX)
        let xLabels = Ticks.labels(xTicks)
        var axisLine = Array(repeating: box.horizontal, count: columns)
        var labelLine = Array(repeating: Character(" "), count: columns + labelWidth + 2)
        var nextFree = 0
        for (value, text) in zip(xTicks, xLabels) {
            let column = Int((xMap.unit(value) * Double(columns - 1)).rounded())
            guard (0..<columns).contains(column) else { continue }
            let start = min(max(column + labelWidth + 2 - text.count / 2, 0), labelLine.count - text.count)
            guard start >= nextFree else { continue }
            axisLine[column] = box.bottomTick
            for (i, c) in text.enumerated() { labelLine[start + i] = c }
            nextFree = start + text.count + 1
        }
        lines.append(String(repeating: " ", count: labelWidth + 1) + box.corner + String(axisLine))
        lines.append(String(labelLine).trimmingTrailingSpaces())
        if let label = chart.x.label { lines.append(pad(label, centeredIn: columns, after: labelWidth + 2)) }
        if chart.showsLegend {
            let entries = chart.series.enumerated().map { index, s in
                Palette.paint(glyphs.legendMark(index), series: index, color: style.color) + " " + s.name
            }
            lines.append(String(repeating: " ", count: labelWidth + 2) + entries.joined(separator: "   "))
        }
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    /// One bar per label, scaled to the largest value, the value written after it.
    public static func render(_ chart: BarChart, style: TerminalStyle) -> String {
        var lines: [String] = []
        if let title = chart.title { lines.append(title) }
        let labelWidth = chart.bars.map(\.label.count).max() ?? 0
        let values = chart.bars.map { Ticks.format($0.value, decimals: valueDecimals(chart)) }
        let valueWidth = values.map(\.count).max() ?? 0
        let room = max(style.width - labelWidth - valueWidth - 3, 5)
        let largest = chart.bars.map { max($0.value, 0) }.max() ?? 0
        for (index, bar) in chart.bars.enumerated() {
            let fraction = largest > 0 && bar.value.isFinite ? max(bar.value, 0) / largest : 0
            let drawn = blocks(fraction * Double(room), unicode: style.unicode)
            let label = bar.label + String(repeating: " ", count: labelWidth - bar.label.count)
            lines.append(label + " " + Palette.paint(drawn, series: 0, color: style.color)
                         + String(repeating: " ", count: room - drawn.count + 1) + values[index])
        }
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    private static func valueDecimals(_ chart: BarChart) -> Int {
        chart.bars.allSatisfy({ $0.value == $0.value.rounded() && abs($0.value) < 1e15 }) ? 0 : 3
    }

    /// A bar `cells` long: full blocks and one eighth-block for the fraction (ASCII: `#`).
    private static func blocks(_ cells: Double, unicode: Bool) -> String {
        guard unicode else { return String(repeating: "#", count: Int(cells.rounded())) }
        let eighths = Int((cells * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    private static func pad(_ text: String, centeredIn width: Int, after indent: Int) -> String {
        String(repeating: " ", count: indent + max(0, (width - text.count) / 2)) + text
    }
}

/// The characters that draw the axes.
struct BoxChars {
    let vertical: String, tick: String, corner: String
    let horizontal: Character, bottomTick: Character

    static let unicode = BoxChars(vertical: "│", tick: "┤", corner: "└", horizontal: "─", bottomTick: "┬")
    static let ascii = BoxChars(vertical: "|", tick: "+", corner: "+", horizontal: "-", bottomTick: "+")
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
