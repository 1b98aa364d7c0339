import LoopLang
import LoopPlot
import LoopResearch

/// `importance(st)`: how much of the variation in a study's results each parameter accounts for
/// (fANOVA on a random forest, `LoopResearch.Importance`), drawn as bars.
enum ImportancePrimitives {
    private enum P {
        static let study = Param.value("study", doc: "an open Study (from study(...))").map { v, call, name throws(LoopError) -> StudyBox in
            guard case .handle(let h) = v, let box = h.object as? StudyBox else { throw call.wrongType(name, expected: "a Study", got: v) }
            return box
        }
        static let show = Param.bool("show", default: true, doc: "draw the importances as bars")
        static let seed = Param.int("seed", default: 0, doc: "the random forest's seed")
    }

    static func register(into registry: Registry) {
        registry.function(
            "importance", NativeParameters.list(P.study, P.show, P.seed),
            doc: "Parameter importances of a study (fANOVA on a random forest, as Optuna's default evaluator) as a record, largest first, summing to 1; shows them as bars unless show: false."
        ) { call throws(LoopError) in
            let box = try call[P.study]
            let result = compute(box, seed: UInt64(truncatingIfNeeded: try call[P.seed]))
            if try call[P.show] {
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
