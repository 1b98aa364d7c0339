import LoopLang
import LoopResearch
import LoopSupport
import LoopTrain

/// `train(model, data, ..., trial: t)`: Optuna's pruning callbacks inside one training run. The
/// study's goal is reported at every curve point as an intermediate value of `t` (its step is the
/// point's index, 1, 2, ...: the epoch under `train`'s default `eval_every`), the study's pruner
/// is asked after each, and a run it stops ends `pruned` with the trial marked pruned. A run the
/// user stops (Ctrl-C) marks the trial `interrupted` at once. One run keeps its optimiser state
/// throughout, which splitting training into one-epoch calls would reset.
final class TrialReporter: TrainObserver {
    let box: TrialBox
    /// The curve field reported: the goal metric measured on validation data when there is one.
    let field: String
    private var last: (index: Int, value: Double)?

    private init(box: TrialBox, field: String) {
        self.box = box
        self.field = field
    }

    /// The reporter for `train`'s `trial:` argument (nil when none was given). `fields` are the
    /// curve's fields for this run, so a goal the run cannot measure is refused before it starts.
    static func make(_ value: Value, fields: [String]) throws(LoopError) -> TrialReporter? {
        if case .nil = value { return nil }
        guard case .handle(let h) = value, let box = h.object as? TrialBox else {
            throw researchError("train: trial must be a Trial (the loop variable of `for t in study`), got \(value.typeName)")
        }
        let trial = box.trial
        guard trial.status == .running else {
            throw researchError("train: trial \(trial.number) of study '\(box.study.name)' is already \(trial.status.rawValue)")
        }
        let metric = box.study.goal.metric
        let candidates = metric.hasPrefix("val_") ? [metric] : ["val_" + metric, metric]
        guard let field = candidates.first(where: fields.contains) else {
            let hint = fields.contains(where: { $0.hasPrefix("val_") })
                ? "; measure it yourself and report(t, step, value) instead"
                : "; give validation data (val: or a split with a val part) so it measures val_\(metric)"
            throw researchError("train: with trial: t, train reports the study's goal '\(metric)' at every evaluation, but its curve has only \(fields.joined(separator: ", "))\(hint)")
        }
        return TrialReporter(box: box, field: field)
    }

    func observe(point: [(String, Value)], index: Int, final: Bool) throws(LoopError) -> TrainingStatus? {
        guard let value = point.first(where: { $0.0 == field })?.1.number else { return nil }
        let study = box.study.study
        do throws(StudyError) { try study.report(box.id, step: index, value: value) } catch { throw ResearchMessages.error(error) }
        last = (index, value)
        // The last point ends the run anyway: pruning there would only throw its result away.
        return !final && study.shouldPrune(box.id) ? .pruned : nil
    }

    func ended(status: TrainingStatus, steps: Int) throws(LoopError) {
        switch status {
        case .pruned:
            let at = last.map { " at evaluation \($0.index) (\(field) \(NumberFormat.short($0.value)), step \(steps))" } ?? ""
            try box.study.settle(box.id, reason: "pruned by the study's pruner\(at)", status: .pruned)
        case .interrupted where box.study.wasStopped(box.id):
            try box.study.settle(box.id, reason: StudyBox.stopReason + " during train at step \(steps)", status: .interrupted)
        default:
            break
        }
    }
}
