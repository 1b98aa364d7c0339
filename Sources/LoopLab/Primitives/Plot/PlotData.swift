import LoopLang
import LoopPlot

/// What `plot` draws for each kind of value: the series of a Run, of several Runs, of a list
/// of numbers, of a record of lists, of a Study, of a curve (a list of records with `step`).
enum PlotData {
    /// Curve fields that are not metrics (they go on the x axis, or are bookkeeping).
    static let notMetrics: Set<String> = ["step", "epoch", "lr", "time"]

    static func chart(_ value: Value, metric: String?, labels: [String]?, function: String) throws(LoopError) -> Chart {
        switch value {
        case .handle(let h) where h.object is RunBox:
            return try curveChart((h.object as! RunBox).curve, metric: metric, function: function)
        case .handle(let h) where h.object is StudyBox:
            return studyChart(h.object as! StudyBox)
        case .list(let items) where !items.isEmpty && items.allSatisfy({ if case .handle(let h) = $0 { h.object is RunBox } else { false } }):
            return try runsChart(items.map { ($0.handleObject as! RunBox) }, metric: metric, labels: labels, function: function)
        case .list(let items) where items.allSatisfy({ $0.number != nil }):
            return Chart(series: [Series(labels?.first ?? "", values: items.map { $0.number! })])
        case .list(let items) where !items.isEmpty && items.allSatisfy({ if case .record(let r) = $0 { r.fields["step"] != nil } else { false } }):
            return try curveChart(items, metric: metric, function: function)
        case .record(let r):
            var series: [Series] = []
            for (key, v) in r.fields {
                guard case .list(let items) = v, items.allSatisfy({ $0.number != nil }) else {
                    throw plotError(function, "a record to plot holds lists of numbers; '\(key)' is \(v.typeName)")
                }
                series.append(Series(key, values: items.map { $0.number! }))
            }
            return Chart(series: series)
        default:
            throw plotError(function, "cannot plot \(value.typeName); give a Run, a List of Runs, a List of numbers, a record of Lists, a Study, or a curve (run.curve)")
        }
    }

    /// Every metric of a curve (training loss, validation metrics) against the step.
    static func curveChart(_ curve: [Value], metric: String?, function: String) throws(LoopError) -> Chart {
        let rows = curve.compactMap { v -> Record? in if case .record(let r) = v { r } else { nil } }
        var names: [String] = []
        for r in rows { for k in r.fields.keys where !notMetrics.contains(k) && !names.contains(k) { names.append(k) } }
        if let metric {
            guard names.contains(metric) else { throw plotError(function, "the curve has no '\(metric)'; it has \(names.joined(separator: ", "))") }
            names = [metric]
        }
        let series = names.map { name in
            Series(name, rows.compactMap { r in
                guard let step = r.fields["step"]?.number, let y = r.fields[name]?.number else { return nil }
                return Point(step, y)
            })
        }
        return Chart(x: Axis(label: "step"), series: series)
    }

    /// One metric of each run (`metric:`, else the validation loss when every run has it, else the
    /// training loss), overlaid.
    static func runsChart(_ runs: [RunBox], metric: String?, labels: [String]?, function: String) throws(LoopError) -> Chart {
        let has = { (run: RunBox, name: String) in
            run.curve.contains { if case .record(let r) = $0 { r.fields[name] != nil } else { false } }
        }
        let chosen = metric ?? (runs.allSatisfy { has($0, "val_loss") } ? "val_loss" : "loss")
        var series: [Series] = []
        for (i, run) in runs.enumerated() {
            guard has(run, chosen) else { throw plotError(function, "run \(i) has no '\(chosen)' in its curve") }
            let name = labels.flatMap { i < $0.count ? $0[i] : nil } ?? "run \(i)"
            let single = try curveChart(run.curve, metric: chosen, function: function)
            series.append(Series(name, single.series[0].points))
        }
        return Chart(x: Axis(label: "step"), y: Axis(label: chosen), series: series)
    }

    /// Each finished trial's goal value as a point, and the best so far as a step line.
    static func studyChart(_ box: StudyBox) -> Chart {
        let goal = box.goal
        var trials: [Point] = [], best: [Point] = []
        var bestValue: Double?
        for t in box.study.trials.sorted(by: { $0.number < $1.number }) where t.status == .complete {
            guard let v = t.value else { continue }
            trials.append(Point(Double(t.number), v))
            if goal.improves(v, on: bestValue) { bestValue = v }
            best.append(Point(Double(t.number), bestValue!))
        }
        return Chart(title: "study \(box.name)", x: Axis(label: "trial"), y: Axis(label: goal.metric),
                     series: [Series("trials", trials, mark: .points), Series("best so far", best, mark: .steps)])
    }

    static func plotError(_ function: String, _ message: String) -> LoopError {
        LoopError(.host(kind: "plot", message: "\(function): \(message)"))
    }
}

extension Value {
    /// The object behind a handle, else nil.
    var handleObject: AnyObject? { if case .handle(let h) = self { h.object } else { nil } }
}
