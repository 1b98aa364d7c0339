/// Parallel coordinates: one vertical axis per dimension, one polyline per item across them,
/// coloured by a value (the study's objective).
public struct ParallelCoordinates: Sendable {
    public struct Dimension: Sendable {
        public var name: String
        /// Tick labels along the axis, bottom to top, at their unit positions.
        public var ticks: [(position: Double, label: String)]
        public init(name: String, ticks: [(position: Double, label: String)]) {
            self.name = name
            self.ticks = ticks
        }
    }

    public var title: String?
    public var dimensions: [Dimension]
    /// Per item: its unit position (0...1, nil when it has no value there) on each dimension,
    /// its colour value in 0...1, and a label for hovering.
    public var lines: [(positions: [Double?], color: Double, label: String)]

    public init(title: String? = nil, dimensions: [Dimension], lines: [(positions: [Double?], color: Double, label: String)]) {
        self.title = title
        self.dimensions = dimensions
        self.lines = lines
    }
}

/// A grid of cells coloured by a value (the mean objective of the trials that fell in each),
/// with the points themselves on top: the contour view of two parameters.
public struct Heatmap: Sendable {
    public var title: String?
    public var x: Axis
    public var y: Axis
    /// `cells[row][column]`, row 0 at the bottom; nil where no point fell.
    public var cells: [[Double?]]
    /// Range of the values the colours span.
    public var valueRange: ClosedRange<Double>
    /// Whether larger values are better (they get the bright end of the scale).
    public var higherIsBetter: Bool
    public var points: [Point]

    public init(title: String? = nil, x: Axis, y: Axis, cells: [[Double?]], valueRange: ClosedRange<Double>,
                higherIsBetter: Bool, points: [Point]) {
        self.title = title
        self.x = x
        self.y = y
        self.cells = cells
        self.valueRange = valueRange
        self.higherIsBetter = higherIsBetter
        self.points = points
    }
}

/// Spans of time in lanes (a study's trials per process), coloured by their kind.
public struct Timeline: Sendable {
    public struct Span: Sendable {
        public var lane: Int
        public var start: Double
        public var end: Double
        public var kind: String
        public var label: String
        public init(lane: Int, start: Double, end: Double, kind: String, label: String) {
            self.lane = lane
            self.start = start
            self.end = end
            self.kind = kind
            self.label = label
        }
    }

    public var title: String?
    public var lanes: [String]
    public var spans: [Span]
    /// Colour per kind (`complete` → green...); kinds not listed are grey.
    public var colors: [String: String]

    public init(title: String? = nil, lanes: [String], spans: [Span], colors: [String: String]) {
        self.title = title
        self.lanes = lanes
        self.spans = spans
        self.colors = colors
    }
}
