import Glibc
import LoopResearch
import LoopSupport

/// A study loop's progress on stderr: on a terminal one status line redrawn as trials end (trial
/// n/N, best so far, last value, elapsed, ETA from `max_trials` or `max_time`); otherwise (a log,
/// a pipe, CI) one line per trial. A trial that failed or was stopped always gets a line of its
/// own with why, also with `progress: false`.
final class StudyProgress {
    private let enabled: Bool
    private let interactive: Bool
    private let start = Monotonic.seconds()
    private var drewLine = false
    private var reported: Set<Int64> = []

    init(enabled: Bool) {
        self.enabled = enabled
        interactive = enabled && isatty(2) != 0
    }

    /// After a trial ended (any status); each trial is reported once.
    func trialEnded(_ trial: StudyTrial, in box: StudyBox) {
        let failed = trial.status == .failed || trial.status == .diverged || trial.status == .interrupted
        guard enabled || failed, reported.insert(trial.id).inserted else { return }
        let study = box.study
        let elapsed = Monotonic.seconds() - start
        let rails = study.declaration.guardrails
        let searched = study.trials.filter { !$0.isRepeat && $0.status.isFinished }.count
        let count = trial.isRepeat ? "repeat \(trial.repeatIndex) of trial \(trial.repeatOf ?? 0)" : "\(searched)" + (rails.maxTrials.map { "/\($0)" } ?? "")
        var parts = ["study \(box.name): trial \(trial.number) (\(count))"]
        switch trial.status {
        case .complete:
            parts.append("\(box.goal.metric) \(trial.value.map(NumberFormat.short) ?? "-")")
        case .failed, .diverged, .pruned, .interrupted:
            parts.append(trial.status.rawValue + (trial.error.map { ": \($0)" } ?? ""))
        case .running, .stale:
            return
        }
        if let best = study.best, let value = study.meanValue(of: best) ?? best.value {
            parts.append("best \(NumberFormat.short(value)) (trial \(best.number))")
        }
        parts.append("elapsed \(NumberFormat.seconds(elapsed))")
        if let eta = eta(elapsed: elapsed, done: searched, rails: rails) { parts.append("ETA \(NumberFormat.seconds(eta))") }
        let line = parts.joined(separator: "  ")
        if interactive {
            // A failure stays on the screen; the status line is redrawn over itself.
            if !failed {
                StandardError.write("\r\u{1B}[K" + line)
                drewLine = true
            } else {
                StandardError.write((drewLine ? "\r\u{1B}[K" : "") + line + "\n")
                drewLine = false
            }
        } else {
            StandardError.line(line)
        }
    }

    /// Ends the status line when the loop ends.
    func finish() {
        guard enabled, interactive, drewLine else { return }
        StandardError.write("\n")
        drewLine = false
    }

    /// Time left: the trials still to run at the pace so far, or what `max_time` leaves, whichever is less.
    private func eta(elapsed: Double, done: Int, rails: Guardrails) -> Double? {
        var left: Double?
        if let maxTrials = rails.maxTrials, done > 0 { left = elapsed / Double(done) * Double(max(maxTrials - done, 0)) }
        if let maxTime = rails.maxTime { left = min(left ?? .infinity, max(maxTime - elapsed, 0)) }
        return left
    }
}
