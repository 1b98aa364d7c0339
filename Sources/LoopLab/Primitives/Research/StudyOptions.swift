import LoopLang
import LoopResearch
import LoopStore
import LoopSupport

/// The study settings beyond the stopping guardrails: `trial_budget`, `repeats`, `finalists` and
/// `allow_repeat`. Like the guardrails, each is taken from the call, else from the stored study,
/// else its default, so reopening a study by name keeps them.
enum StudyOptions {
    static func apply(_ call: NativeCall, stored: [String: JSONValue], to declaration: inout StudyDeclaration) throws(LoopError) {
        typealias P = StudyParameters
        if let seconds = try call[P.trialBudget] {
            guard seconds > 0 else { throw researchError("study: trial_budget must be a Duration > 0, like 30s") }
            declaration.guardrails.trialBudget = seconds
        } else {
            declaration.guardrails.trialBudget = stored[P.trialBudget.name]?.doubleValue
        }
        if let k = try call[P.repeats] {
            guard k >= 0 else { throw researchError("study: repeats must be >= 0, got \(k)") }
            declaration.repeats = k
        } else if case .int(let k)? = stored[P.repeats.name] {
            declaration.repeats = k
        }
        if let n = try call[P.finalists] {
            guard n >= 1 else { throw researchError("study: finalists must be at least 1, got \(n)") }
            declaration.finalists = n
        } else if case .int(let n)? = stored[P.finalists.name] {
            declaration.finalists = n
        }
        if let allow = try call[P.allowRepeat] {
            declaration.allowRepeat = allow
        } else if case .bool(let b)? = stored[P.allowRepeat.name] {
            declaration.allowRepeat = b
        }
    }
}

/// The per-trial time budget of one `for t in st` loop: a deadline on the interpreter imposed when
/// a trial starts and lifted when the body ends (the next trial, or the loop's end, since the
/// loop's iterator holds this object).
final class TrialBudget {
    /// How a budget's error message starts, so the study can tell it from other deadlines.
    static let prefix = "trial budget:"

    static func reason(_ seconds: Double) -> String {
        "\(prefix) the loop body ran longer than \(Printer.display(.duration(seconds)))"
    }

    private var deadline: Deadline?

    func impose(_ deadline: Deadline) {
        lift()
        self.deadline = deadline
    }

    func lift() {
        deadline?.cancel()
        deadline = nil
    }

    deinit { lift() }
}
