import LoopLang
import LoopPlot
import LoopResearch

/// `importance(st)`: how much of the variation in a study's results each parameter accounts for
/// (fANOVA on a random forest, `LoopResearch.Importance`), drawn as bars.
enum ImportancePrimitives {
    static func register(into registry: Registry) {
        registry.function(
            "importance", [NativeParameter("study"), NativeParameter("show", default: .bool(true)), NativeParameter("seed", default: .int(0))],
            doc: "Parameter importances of a study (fANOVA on a random forest, as Optuna's default evaluator) as a record, largest first, summing to 1; shows them as bars unless show: false."
        ) { call throws(LoopError) in
            guard case .handle(let h) = call.value("study"), let box = h.object as? StudyBox else {
                throw call.wrongType("study", expected: "a Study", got: call.value("study"))
            }
            let result = compute(box, seed: UInt64(truncatingIfNeeded: try call.int("seed")))
            if try call.bool("show") {
                guard !result.isEmpty else {
                    call.interpreter.output.write("importance: study \(box.name) needs at least 2 complete trials\n")
                    return .record(Record())
                }
                let style = TerminalStyle(width: Terminal.columns, unicode: Terminal.unicode, color: Terminal.color)
                let chart = BarChart(title: "parameter importance (fANOVA), study \(box.name)", bars: result.map { ($0.name, $0.importance) })
                call.interpreter.output.write(TerminalRenderer.render(chart, style: style))
                call.interpreter.attachment(PlotCapture.self)?.record(chart)
            }
            return ResearchValues.record(result.map { ($0.name, Value.float($0.importance)) })
        }
    }

    /// The importances of a study's complete trials (repeats excluded).
    static func compute(_ box: StudyBox, seed: UInt64) -> [(name: String, importance: Double)] {
        let complete = box.study.trials.filter { $0.status == .complete && !$0.isRepeat && $0.value != nil }
        return Importance.fanova(space: box.study.declaration.space, configs: complete.map(\.config),
                                 values: complete.map { $0.value! }, seed: seed)
    }
}
