import Foundation
import LoopPlot
import LoopResearch
import LoopStore
import LoopSupport

/// The charts of a study report, each built from the store's numbers only.
enum StudyReportCharts {
    /// At most this many trials are drawn in the per-trial charts that would otherwise grow
    /// unreadable (parallel coordinates, slices, contour points, intermediate curves); a seeded
    /// sample beyond, and the chart says so.
    static let sampleLimit = 2000

    /// Every complete trial's value (a sample of `limit` of them when given), and the best so
    /// far (drawn through the trials that improved it, and the last).
    static func history(_ data: StudyReportData, limit: Int? = nil) -> Chart {
        var best: Double?
        var bestPoints: [Point] = []
        for t in data.complete where best == nil || data.study.goalDirection.isBetter(t.value!, than: best!) {
            best = t.value!
            bestPoints.append(Point(Double(t.number), best!))
        }
        if let last = data.complete.last, let best, bestPoints.last?.x != Double(last.number) { bestPoints.append(Point(Double(last.number), best)) }
        let shown = limit.map { sample(data.complete, limit: $0) } ?? data.complete
        return Chart(title: "Optimisation history", x: Axis(label: "trial"), y: Axis(label: data.metric),
                     series: [Series("trials", shown.map { Point(Double($0.number), $0.value!) }, mark: .points),
                              Series("best so far", bestPoints, mark: .steps)])
    }

    /// The empirical distribution of the values: the fraction of trials at or below each (at
    /// `limit` evenly spaced ranks when given).
    static func distribution(_ data: StudyReportData, limit: Int? = nil) -> Chart {
        let values = data.complete.map { $0.value! }.sorted()
        let n = Double(values.count)
        var points = values.enumerated().map { Point($0.element, Double($0.offset + 1) / n) }
        if let limit, points.count > limit {
            points = (0..<limit).map { points[Int((Double($0) / Double(limit - 1) * Double(points.count - 1)).rounded())] }
        }
        return Chart(title: "Empirical distribution of \(data.metric)", x: Axis(label: data.metric),
                     y: Axis(label: "fraction of trials ≤ value", range: 0...1), series: [Series("", points, mark: .steps)], legend: false)
    }

    static func importance(_ data: StudyReportData) -> BarChart {
        BarChart(title: "Parameter importance (fANOVA)", bars: data.importances.map { ($0.name, $0.importance) })
    }

    /// One chart per parameter: its value against the objective.
    static func slices(_ data: StudyReportData, limit: Int = sampleLimit) -> [Chart] {
        guard let space = data.space else { return [] }
        let trials = sample(data.complete, limit: limit)
        return space.parameters.map { p in
            var points: [Point] = []
            var xLabel = p.name
            var scale = Scale.linear
            switch p.distribution {
            case .choice(let values):
                for t in trials { if let v = t.params[p.name], let i = values.firstIndex(where: { ResearchValues.json($0) == v }) { points.append(Point(Double(i), t.value!)) } }
                xLabel += " (" + values.enumerated().map { "\($0.offset) = \($0.element)" }.joined(separator: ", ") + ")"
            case .logUniform:
                scale = .log
                fallthrough
            default:
                for t in trials { if let x = t.params[p.name]?.doubleValue { points.append(Point(x, t.value!)) } }
            }
            return Chart(title: "Slice: \(p.name)", x: Axis(label: xLabel, scale: scale), y: Axis(label: data.metric),
                         series: [Series("", points, mark: .points)], legend: false)
        }
    }

    /// Parallel coordinates over the parameters and the objective, coloured by the objective.
    static func parallel(_ data: StudyReportData, limit: Int = sampleLimit) -> ParallelCoordinates? {
        guard let space = data.space, !data.complete.isEmpty else { return nil }
        let values = data.complete.map { $0.value! }
        let low = values.min()!, high = values.max()!
        func unitValue(_ v: Double) -> Double { high > low ? (v - low) / (high - low) : 0.5 }
        var dimensions = space.parameters.map { p -> ParallelCoordinates.Dimension in
            switch p.distribution {
            case .choice(let choices):
                return .init(name: p.name, ticks: choices.enumerated().map { (position: (Double($0.offset) + 0.5) / Double(choices.count), label: "\($0.element)") })
            default:
                return .init(name: p.name, ticks: [0, 0.5, 1].map { (position: $0, label: "\(p.distribution.decodeForDisplay($0))") })
            }
        }
        dimensions.append(.init(name: data.metric, ticks: [(0, SVGNumbers.short(low)), (1, SVGNumbers.short(high))]))
        let lines = sample(data.complete, limit: limit).map { t -> (positions: [Double?], color: Double, label: String) in
            let config = ResearchValues.config(fromJSON: t.params, space: space)
            let positions: [Double?] = space.parameters.map { p in
                guard let v = config[p.name], let u = p.distribution.unitForDisplay(v) else { return nil }
                return u
            } + [unitValue(t.value!)]
            let color = data.maximize ? unitValue(t.value!) : 1 - unitValue(t.value!)
            return (positions, color, "trial \(t.number): \(data.metric) \(SVGNumbers.short(t.value!))")
        }
        return ParallelCoordinates(title: "Parallel coordinates", dimensions: dimensions, lines: lines)
    }

    /// The objective over the two most important numeric parameters: mean value per cell of a
    /// 24 × 24 grid, with the trials on top.
    static func contour(_ data: StudyReportData, limit: Int = sampleLimit) -> Heatmap? {
        guard let space = data.space else { return nil }
        let numeric = data.importances.map(\.name).filter { name in space.parameters.first { $0.name == name }?.distribution.isNumeric == true }
        guard numeric.count >= 2, let px = space.parameters.first(where: { $0.name == numeric[0] }),
              let py = space.parameters.first(where: { $0.name == numeric[1] }) else { return nil }
        let grid = 24
        var sums = Array(repeating: Array(repeating: 0.0, count: grid), count: grid)
        var counts = Array(repeating: Array(repeating: 0, count: grid), count: grid)
        var points: [Point] = []
        for t in data.complete {
            let config = ResearchValues.config(fromJSON: t.params, space: space)
            guard let vx = config[px.name], let vy = config[py.name], let ux = px.distribution.unitForDisplay(vx),
                  let uy = py.distribution.unitForDisplay(vy), let x = vx.number, let y = vy.number else { continue }
            let c = min(Int(ux * Double(grid)), grid - 1), r = min(Int(uy * Double(grid)), grid - 1)
            sums[r][c] += t.value!
            counts[r][c] += 1
            points.append(Point(x, y))
        }
        guard !points.isEmpty else { return nil }
        let cells = (0..<grid).map { r in (0..<grid).map { c in counts[r][c] > 0 ? sums[r][c] / Double(counts[r][c]) : nil } }
        let values = data.complete.map { $0.value! }
        return Heatmap(title: "Contour: \(px.name) × \(py.name) (mean \(data.metric) per cell)",
                       x: axis(px), y: axis(py), cells: cells, valueRange: values.min()!...values.max()!,
                       higherIsBetter: data.maximize, points: Array(points.prefix(limit)))
    }

    /// Every reported curve; pruned trials in red.
    static func intermediate(_ data: StudyReportData, limit: Int = sampleLimit) -> Chart? {
        let reported = data.trials.filter { data.reports[$0.id] != nil }
        guard !reported.isEmpty else { return nil }
        let series = sample(reported, limit: limit).map { t in
            Series("trial \(t.number)", data.reports[t.id]!.map { Point(Double($0.step), $0.value) },
                   color: t.state == .pruned ? "#d62728" : t.state == .complete ? "#1f77b4" : "#999999")
        }
        return Chart(title: "Intermediate values (pruned in red)", x: Axis(label: "step"), y: Axis(label: data.metric),
                     series: series, legend: false)
    }

    /// When each trial ran, one lane per process.
    static func timeline(_ data: StudyReportData, limit: Int? = nil) -> Timeline? {
        let trials = limit.map { Array(data.trials.suffix($0)) } ?? data.trials
        guard let first = trials.map(\.startedAt).min() else { return nil }
        var lanes: [String] = []
        var spans: [Timeline.Span] = []
        for t in trials {
            let lane = "\(t.host ?? "?") \(t.pid.map(String.init) ?? "?")"
            if !lanes.contains(lane) { lanes.append(lane) }
            let end = t.finishedAt ?? t.heartbeatAt
            spans.append(.init(lane: lanes.firstIndex(of: lane)!, start: t.startedAt.timeIntervalSince(first),
                               end: max(end.timeIntervalSince(first), t.startedAt.timeIntervalSince(first)),
                               kind: t.state.rawValue, label: "trial \(t.number) \(t.state.rawValue)"))
        }
        return Timeline(title: "Timeline (a lane per process)", lanes: lanes, spans: spans, colors: stateColors)
    }

    static let stateColors = ["complete": "#2ca02c", "failed": "#d62728", "diverged": "#ff7f0e", "pruned": "#9467bd",
                              "interrupted": "#8c564b", "running": "#1f77b4", "stale": "#7f7f7f"]

    private static func axis(_ p: Parameter) -> Axis {
        switch p.distribution {
        case .uniform(let a, let b): return Axis(label: p.name, range: a...b)
        case .logUniform(let a, let b): return Axis(label: p.name, scale: .log, range: a...b)
        // Each integer owns a bucket of the unit range (its centre is where it is drawn), so the
        // axis spans the buckets' edges: half a step beyond the first and last values.
        case .integers(let a, _, let step):
            let count = Double(p.distribution.count ?? 1)
            return Axis(label: p.name, range: Double(a) - Double(step) / 2 ... Double(a) + Double(step) * (count - 0.5))
        case .choice: return Axis(label: p.name)
        }
    }

    /// The trials to draw: all of them, or a seeded sample of `limit` in number order.
    static func sample(_ trials: [Trial], limit: Int = sampleLimit) -> [Trial] {
        guard trials.count > limit else { return trials }
        var rng = SeededRandom(seed: 7)
        var indices = Array(trials.indices)
        indices.shuffle(using: &rng)
        return indices.prefix(limit).sorted().map { trials[$0] }
    }
}

/// Numbers as a reader reads them in chart labels.
enum SVGNumbers {
    static func short(_ v: Double) -> String { NumberFormat.short(v) }
}

extension Distribution {
    /// Where a value sits on this parameter's axis, 0...1 (a choice's i-th of k values at (i + 0.5) / k).
    func unitForDisplay(_ value: ParameterValue) -> Double? {
        guard let u = unitCoordinate(of: value) else { return nil }
        if case .choice(let values) = self { return (u + 0.5) / Double(values.count) }
        return u
    }

    /// The value at a unit position, as text.
    func decodeForDisplay(_ u: Double) -> String {
        switch value(atUnit: u) {
        case .double(let d): return NumberFormat.short(d)
        case let other: return "\(other)"
        }
    }
}
