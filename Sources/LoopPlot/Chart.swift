/// What a chart shows, independent of where it is drawn: the terminal renderer and the SVG
/// renderer take the same `Chart`. LoopPlot knows nothing of the language, the store or
/// training; its callers turn runs, studies and lists into series.
public struct Chart: Sendable, Equatable {
    public var title: String?
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    /// Whether a legend is drawn (nil: when there are several series or a named one).
    public var legend: Bool?

    public init(title: String? = nil, x: Axis = Axis(), y: Axis = Axis(), series: [Series], legend: Bool? = nil) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.legend = legend
    }

    /// Whether the legend is drawn.
    var showsLegend: Bool { legend ?? (series.count > 1 || series.contains { !$0.name.isEmpty }) }

    /// The points every series draws, after dropping those a log axis cannot show (zero or
    /// negative) and those that are not finite.
    func drawable(_ s: Series) -> [Point] {
        s.points.filter { p in
            p.x.isFinite && p.y.isFinite && (x.scale == .linear || p.x > 0) && (y.scale == .linear || p.y > 0)
        }
    }

    /// The data range of an axis over every drawable point, widened when empty or flat.
    func domain(_ axis: KeyPath<Point, Double>, scale: Scale, fixed: ClosedRange<Double>?) -> ClosedRange<Double> {
        if let fixed { return fixed }
        let values = series.flatMap { drawable($0).map { $0[keyPath: axis] } }
        guard var low = values.min(), var high = values.max() else { return scale == .log ? 1...10 : 0...1 }
        if low == high {
            if scale == .log { low /= 10; high *= 10 } else {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                low -= pad
                high += pad
            }
        }
        return low...high
    }
}

/// One axis: its label, its scale and, optionally, a fixed range.
public struct Axis: Sendable, Equatable {
    public var label: String?
    public var scale: Scale
    /// The range to show; nil: the data's.
    public var range: ClosedRange<Double>?

    public init(label: String? = nil, scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }
}

public enum Scale: String, Sendable, Equatable {
    case linear, log
}

public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// A named set of points drawn one way, with its own colour and legend entry.
public struct Series: Sendable, Equatable {
    public enum Mark: String, Sendable, Equatable {
        /// Points joined in order.
        case line
        /// Separate points.
        case points
        /// Horizontal then vertical segments (a best-so-far curve).
        case steps
    }

    public var name: String
    public var points: [Point]
    public var mark: Mark
    /// A colour of its own (`#rrggbb`) instead of the palette's; SVG only.
    public var color: String?

    public init(_ name: String, _ points: [Point], mark: Mark = .line, color: String? = nil) {
        self.name = name
        self.points = points
        self.mark = mark
        self.color = color
    }

    /// `values` against their index (0, 1, 2...).
    public init(_ name: String, values: [Double], mark: Mark = .line) {
        self.init(name, values.enumerated().map { Point(Double($0.offset), $0.element) }, mark: mark)
    }
}

/// Horizontal bars, one per label (parameter importances, class counts).
public struct BarChart: Sendable, Equatable {
    public var title: String?
    public var bars: [(label: String, value: Double)]

    public init(title: String? = nil, bars: [(label: String, value: Double)]) {
        self.title = title
        self.bars = bars
    }

    public static func == (a: BarChart, b: BarChart) -> Bool {
        a.title == b.title && a.bars.map(\.label) == b.bars.map(\.label) && a.bars.map(\.value) == b.bars.map(\.value)
    }
}
