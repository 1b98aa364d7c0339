/// A grid of dots to draw series on. With braille each character cell holds 2 × 4 dots, so a
/// 60-column plot has 120 dots across; with marks a cell is one dot, drawn with its series' mark
/// (which tells series apart without colour). A cell shows the series that drew into it last.
public struct DotCanvas: Sendable {
    public enum Glyphs: Sendable {
        case braille
        /// One mark per series: `•`, `×`, `○`...
        case unicodeMarks
        /// One mark per series: `*`, `+`, `o`...
        case asciiMarks

        public var marks: [String] {
            switch self {
            case .braille: return ["⣿"]
            case .unicodeMarks: return ["•", "×", "○", "◆", "▲", "■", "◇", "△"]
            case .asciiMarks: return ["*", "+", "o", "x", "#", "@", "%", "="]
            }
        }

        /// The glyph that stands for series `index` in a legend.
        public func legendMark(_ index: Int) -> String { marks[index % marks.count] }
    }

    public let columns: Int, rows: Int
    public let glyphs: Glyphs
    /// Dots across and down.
    public let width: Int, height: Int
    private var bits: [UInt8]
    private var owner: [Int]

    public init(columns: Int, rows: Int, glyphs: Glyphs) {
        self.columns = columns
        self.rows = rows
        self.glyphs = glyphs
        width = glyphs == .braille ? columns * 2 : columns
        height = glyphs == .braille ? rows * 4 : rows
        bits = Array(repeating: 0, count: columns * rows)
        owner = Array(repeating: -1, count: columns * rows)
    }

    /// Sets the dot at (x, y), y growing downwards; dots off the canvas are ignored.
    public mutating func set(_ x: Int, _ y: Int, series: Int) {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return }
        let cell: Int, bit: UInt8
        if glyphs == .braille {
            cell = (y / 4) * columns + x / 2
            bit = DotCanvas.brailleBit(dx: x % 2, dy: y % 4)
        } else {
            cell = y * columns + x
            bit = 1
        }
        bits[cell] |= bit
        owner[cell] = series
    }

    /// A straight line of dots (Bresenham), clipped to the canvas.
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int) {
        // Far-off points (a fixed range narrower than the data) would make the walk long.
        let limit = 4 * (width + height)
        guard abs(x1 - x0) <= limit, abs(y1 - y0) <= limit else { return }
        var (x, y) = (x0, y0)
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {
            set(x, y, series: series)
            if x == x1 && y == y1 { return }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// One row of character cells.
    public func row(_ r: Int, color: Bool) -> String {
        var text = ""
        for c in 0..<columns {
            let i = r * columns + c
            guard bits[i] != 0 else { text += " "; continue }
            let glyph = glyphs == .braille ? String(UnicodeScalar(0x2800 + UInt32(bits[i]))!) : glyphs.legendMark(owner[i])
            text += Palette.paint(glyph, series: owner[i], color: color)
        }
        return text
    }

    /// The bit of the braille dot in column `dx` (0, 1) and row `dy` (0...3) of a cell.
    public static func brailleBit(dx: Int, dy: Int) -> UInt8 {
        let left: [UInt8] = [0x01, 0x02, 0x04, 0x40], right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
        return dx == 0 ? left[dy] : right[dy]
    }
}

/// One colour per series: ANSI codes in a terminal, hex in SVG, in the same order.
enum Palette {
    static let ansi = [34, 31, 32, 33, 35, 36, 94, 91]
    static let hex = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#8c564b", "#e377c2"]

    static func paint(_ text: String, series: Int, color: Bool) -> String {
        guard color, series >= 0 else { return text }
        return "\u{1B}[\(ansi[series % ansi.count])m" + text + "\u{1B}[0m"
    }

    static func hex(_ series: Int) -> String { hex[series % hex.count] }
}
