import LoopLang
import LoopResearch

/// A study as the language holds it: the research engine's `Study`, the Trial type whose members
/// include this space's parameter names, and which trials this process started.
final class StudyBox {
    let study: LoopResearch.Study
    let context: ResearchContext
    /// `t.lr` works because each study has its own Trial type with one member per parameter.
    let trialType: HostType
    /// Trials started through this handle; only these may be settled by it (another process may
    /// be running the rest).
    private(set) var startedHere: Set<Int64> = []
    /// The trial the running `for` loop handed out last.
    var current: Int64?

    init(study: Study, context: ResearchContext) {
        self.study = study
        self.context = context
        self.trialType = TrialPrimitives.makeType(for: study.declaration.space, studyName: study.declaration.name)
    }

    var name: String { study.declaration.name }
    var goal: Goal { study.declaration.goal }

    /// Starts the next trial (nil when a guardrail stops the study).
    func next() throws(LoopError) -> Value? {
        let trial: StudyTrial?
        do throws(StudyError) { trial = try study.next() } catch { throw ResearchMessages.error(error) }
        guard let trial else { return nil }
        startedHere.insert(trial.id)
        current = trial.id
        return handle(trial.id)
    }

    func handle(_ trialID: Int64) -> Value { .handle(Handle(trialType, TrialBox(study: self, id: trialID))) }

    /// Fails a trial this handle started if it is still running: the loop body ended without
    /// `remember(t, ...)`, `fail(t, ...)` or `prune(t)` (it raised an error, broke out, or
    /// forgot). Without this the trial would stay `running` until the process exits.
    func settle(_ trialID: Int64, reason: String, status: TrialStatus = .failed) throws(LoopError) {
        guard startedHere.contains(trialID), study.trial(trialID)?.status == .running else { return }
        do throws(StudyError) { try study.fail(trialID, error: reason, status: status) } catch { throw ResearchMessages.error(error) }
    }

    /// Settles every trial this handle left running (a new loop starts, or the study is reopened).
    func settleAll(reason: String) throws(LoopError) {
        for id in startedHere.sorted() { try settle(id, reason: reason) }
    }

    /// The history row of a trial: `{id, status, params, metrics, value, error}`, plus
    /// `repeat_of` and `repeat` for a repeat.
    func record(_ t: StudyTrial) -> Value {
        var fields: [(String, Value)] = [
            ("id", .int(t.number)), ("status", .string(t.status.rawValue)),
            ("params", ResearchValues.record(t.config, space: study.declaration.space)),
            ("metrics", ResearchValues.record(t.metrics)), ("value", ResearchValues.optional(t.value)),
            ("error", ResearchValues.optional(t.error)),
        ]
        if let original = t.repeatOf { fields += [("repeat_of", .int(original)), ("repeat", .int(t.repeatIndex))] }
        return ResearchValues.record(fields)
    }

    /// `st.best`: the trial's row; with repeats, `value` and `metrics` are means over its
    /// complete runs (the trial and its repeats), and `runs`/`values` show what was averaged.
    func bestRecord(_ t: StudyTrial) -> Value {
        guard study.declaration.repeats > 0, case .record(let row) = record(t) else { return record(t) }
        let runs = study.runs(of: t)
        var fields = row.fields
        var sums: [String: (Double, Int)] = [:]
        for run in runs { for (k, v) in run.metrics { sums[k, default: (0, 0)].0 += v; sums[k, default: (0, 0)].1 += 1 } }
        fields["metrics"] = ResearchValues.record(sums.mapValues { $0.0 / Double($0.1) })
        fields["value"] = ResearchValues.optional(study.meanValue(of: t))
        fields["runs"] = .int(runs.count)
        fields["values"] = .list(runs.compactMap(\.value).map { .float($0) })
        return .record(Record(fields))
    }

    var summary: String {
        let finished = study.trials.filter(\.status.isFinished).count
        var text = "<Study \(name): \(finished) trial\(finished == 1 ? "" : "s")"
        if let best = study.best, let v = best.value { text += ", best \(goal.metric) \(v) (trial \(best.number))" }
        text += study.stopReason.map { ", stopped: \($0.rawValue)>" } ?? ">"
        return text
    }
}

/// A trial handle: its study and id. The trial's state lives in the study, so every copy of a
/// handle sees the same status.
final class TrialBox {
    let study: StudyBox
    let id: Int64

    init(study: StudyBox, id: Int64) {
        self.study = study
        self.id = id
    }

    var trial: StudyTrial { study.study.trial(id)! }
}
