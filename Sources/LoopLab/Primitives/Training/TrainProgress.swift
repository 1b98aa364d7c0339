import Glibc
import LoopSupport
import LoopTrain

/// Training progress on stderr: on a terminal, one line redrawn in place (step, loss, throughput,
/// ETA); otherwise (a log, a pipe, CI) one line per evaluation, so logs stay readable.
final class TrainProgress {
    private let enabled: Bool
    private let interactive: Bool
    private let total: Int
    private let budget: Double?
    private let unit: String
    private let start = Monotonic.seconds()
    private var lastDraw = -1.0
    private var drewBar = false

    init(enabled: Bool, total: Int, budget: Double?, unit: String) {
        self.enabled = enabled
        self.interactive = enabled && isatty(2) != 0
        self.total = total
        self.budget = budget
        self.unit = unit
    }

    /// After each step; redraws at most ten times a second.
    func step(_ done: Int, loss: Double, throughput: Double) {
        guard interactive else { return }
        let now = Monotonic.seconds()
        guard now - lastDraw >= 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = now - start
        var remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        if let budget { remaining = min(remaining, max(0, budget - elapsed)) }
        let width = 20
        let filled = total > 0 ? min(width, width * done / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "train [\(bar)] step \(done)/\(total) loss \(NumberFormat.short(loss)) "
            + "\(NumberFormat.grouped(Int(throughput.rounded()))) \(unit) ETA \(NumberFormat.seconds(remaining))"
        emit("\r\u{1B}[K" + line)
        drewBar = true
    }

    /// At each evaluation point: a line of its own when not on a terminal.
    func evaluation(_ fields: [(String, ProgressField)]) {
        guard enabled, !interactive else { return }
        let text = fields.map { "\($0.0) \($0.1.text)" }.joined(separator: " ")
        emit("train: " + text + "\n")
    }

    /// Clears the bar and prints how the run ended.
    func finish(_ summary: String) {
        guard enabled else { return }
        if drewBar { emit("\r\u{1B}[K") }
        emit("train: " + summary + "\n")
    }

    private func emit(_ text: String) { StandardError.write(text) }
}

/// A number or a word in a progress line.
enum ProgressField {
    case int(Int)
    case number(Double)
    case word(String)

    var text: String {
        switch self {
        case .int(let n): NumberFormat.grouped(n)
        case .number(let d): NumberFormat.short(d)
        case .word(let s): s
        }
    }
}
