import Foundation

/// Maps an axis's data values to 0...1 across the plot (log axes map the value's log10).
struct AxisMap {
    let scale: Scale
    let domain: ClosedRange<Double>
    private let low: Double
    private let span: Double

    init(domain: ClosedRange<Double>, scale: Scale) {
        self.scale = scale
        self.domain = domain
        low = AxisMap.transform(domain.lowerBound, scale)
        let high = AxisMap.transform(domain.upperBound, scale)
        span = high - low
    }

    static func transform(_ v: Double, _ scale: Scale) -> Double { scale == .log ? log10(v) : v }

    /// Where `v` lies between the ends of the axis, 0 at the low end (outside the domain: < 0 or > 1).
    func unit(_ v: Double) -> Double {
        span > 0 ? (AxisMap.transform(v, scale) - low) / span : 0.5
    }
}

extension Chart {
    /// The axes' maps for this chart's data (or their fixed ranges).
    var maps: (x: AxisMap, y: AxisMap) {
        (AxisMap(domain: domain(\.x, scale: x.scale, fixed: x.range), scale: x.scale),
         AxisMap(domain: domain(\.y, scale: y.scale, fixed: y.range), scale: y.scale))
    }
}

extension Chart {
    /// Whether every x value is a whole number (an index, a step, a trial number).
    var hasIntegerX: Bool {
        series.allSatisfy { $0.points.allSatisfy { $0.x == $0.x.rounded() } }
    }
}
