import LoopLang
import LoopResearch
import LoopStore
import LoopSupport

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
    /// `Interrupt.requestCount` when `current` started: a trial during which Ctrl-C (or SIGTERM)
    /// arrived is never recorded complete, even when the body caught the interrupt.
    private var requestsAtStart = 0

    /// What the person running the loop sees of it (stderr).
    let progress: StudyProgress
    /// Set when the study's strategy is `agent(...)`: its rationales become the trials' notes.
    var agent: AgentSampler?

    init(study: LoopResearch.Study, context: ResearchContext, progress: StudyProgress = StudyProgress(enabled: false)) {
        self.study = study
        self.context = context
        self.progress = progress
        self.trialType = TrialPrimitives.makeType(for: study.declaration.space, studyName: study.declaration.name)
    }

    var name: String { study.declaration.name }
    var goal: Goal { study.declaration.goal }

    /// Starts the next trial (nil when a guardrail stops the study).
    func next() throws(LoopError) -> Value? {
        let trial: StudyTrial?
        do throws(StudyError) { trial = try study.next() } catch { throw ResearchMessages.error(error) }
        guard let trial else { return nil }
        if let agent, let note = agent.takeNote(for: trial.config) {
            // Kept as a note on the trial: `looplab trials` shows it and `recall` finds it.
            _ = try context.withStore { store throws(StoreError) in
                try store.remember(note.text, tags: note.fallback ? ["agent", "fallback"] : ["agent", "rationale"], studyID: study.id, trialID: trial.id)
            }
        }
        startedHere.insert(trial.id)
        current = trial.id
        requestsAtStart = Interrupt.requestCount
        return handle(trial.id)
    }

    /// Whether the user stopped the current trial: Ctrl-C or SIGTERM arrived since it started.
    var currentWasStopped: Bool { current != nil && Interrupt.requestCount != requestsAtStart }

    /// Whether `trialID` is the current trial and the user stopped it.
    func wasStopped(_ trialID: Int64) -> Bool { current == trialID && currentWasStopped }

    /// Why a stopped trial ended, as recorded in the store.
    static var stopReason: String { Interrupt.isTerminating ? "terminated (SIGTERM)" : "interrupted (Ctrl-C)" }

    /// The per-study number of a trial, for messages.
    func number(_ trialID: Int64) -> Int { study.trial(trialID)?.number ?? -1 }

    /// Settles the trial a `for` loop over the study leaves running when the loop ends: by the
    /// user's stop (Ctrl-C, SIGTERM) as `interrupted`; by an error that left the loop as
    /// `failed` with that error; by `break` or `return` as failed without `remember`.
    func endLoop(_ error: LoopError?) throws(LoopError) {
        defer {
            current = nil
            progress.finish()
        }
        guard let id = current else { return }
        if currentWasStopped || error?.kind == "interrupted" {
            try endTrial(id, reason: StudyBox.stopReason, status: .interrupted)
        } else if let error {
            try endTrial(id, reason: StudyBox.describe(error))
        } else {
            try endTrial(id, reason: StudyPrimitives.notRemembered)
        }
    }

    /// Settles the trial if the body left it running, and shows how it ended.
    func endTrial(_ trialID: Int64, reason: String, status: TrialStatus = .failed) throws(LoopError) {
        try settle(trialID, reason: reason, status: status)
        if startedHere.contains(trialID), let trial = study.trial(trialID) { progress.trialEnded(trial, in: self) }
    }

    /// An error as a trial's recorded reason: kind, message and place.
    static func describe(_ error: LoopError) -> String {
        var place = ""
        if let span = error.span { place = " at \(span.file.name):\(span.line):\(span.column)" }
        return "\(error.kind) error: \(error.message)\(place)"
    }

    /// The error a study loop raises after it ends because trials kept failing (`max_failures`,
    /// `repeated_error`), so that a script, and CI, cannot mistake it for success. Nil for the
    /// other stop reasons.
    func failureError() -> LoopError? {
        guard let reason = study.stopReason, reason == .maxFailures || reason == .repeatedError else { return nil }
        let finished = study.trials.filter { !$0.isRepeat && $0.status.isFinished }.sorted { $0.number < $1.number }
        let failures = Array(finished.reversed().prefix { $0.status.isFailure })
        let rails = study.declaration.guardrails
        let last = failures.first.map { "trial \($0.number): \($0.error ?? $0.status.rawValue)" } ?? "none recorded"
        let message: String
        if reason == .repeatedError {
            let same = failures.prefix { $0.error == failures.first?.error }.count
            message = "study '\(name)' stopped: \(same) trials in a row failed with the same error (max_repeated_error: \(rails.maxRepeatedError ?? same)); the last was \(last)"
        } else {
            message = "study '\(name)' stopped: \(failures.count) trials in a row failed (max_failures: \(rails.maxFailures ?? failures.count)); the last was \(last)"
        }
        return LoopError(.host(kind: "study", message: message))
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

    /// The history row of a trial: `{number, id, status, params, metrics, value, error}`, plus
    /// `repeat_of` and `repeat` for a repeat.
    func record(_ t: StudyTrial) -> Value {
        var fields: [(String, Value)] = [
            ("number", .int(t.number)), ("id", .int(Int(t.id))), ("status", .string(t.status.rawValue)),
            ("params", ResearchValues.record(t.config, space: study.declaration.space)),
            ("metrics", ResearchValues.record(t.metrics, integers: t.integerMetrics)), ("value", ResearchValues.optional(t.value)),
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

    /// The request an agent strategy gets (without `n` and `feedback`): the study, its trials,
    /// its notes and what is left of its budget. docs/agents.md documents each field.
    func agentRequest() -> [String: JSONValue] {
        let declaration = study.declaration
        let numbers = Dictionary(study.trials.map { ($0.id, $0.number) }, uniquingKeysWith: { a, _ in a })
        let notes = ((try? context.withStore { store throws(StoreError) in try store.notes(studyID: study.id) }) ?? []).suffix(100)
        let rails = declaration.guardrails
        let searched = study.trials.filter { !$0.isRepeat && $0.status != .stale }.count
        let elapsed = study.elapsed
        return [
            "study": .string(name),
            "space": SpaceJSON.encode(declaration.space),
            "goal": AgentStrategy.goalJSON(goal),
            "trials": .array(study.trials.map(AgentStrategy.trialJSON)),
            "notes": .array(notes.map { note in
                ["text": .string(note.text), "tags": .array(note.tags.map { .string($0) }),
                 "trial": note.trialID.flatMap { numbers[$0] }.map { .int($0) } ?? .null]
            }),
            "budget": [
                "max_trials": rails.maxTrials.map { .int($0) } ?? .null,
                "trials_left": rails.maxTrials.map { .int(max(0, $0 - searched)) } ?? .null,
                "max_time_seconds": rails.maxTime.map { .number($0) } ?? .null,
                "seconds_left": rails.maxTime.map { .number(max(0, $0 - elapsed)) } ?? .null,
            ],
        ]
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
