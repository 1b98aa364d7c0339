import LoopLab
import LoopSupport

/// Best-of-N wall-clock timing around the measured work only.
enum BenchTimer {
    static func best(of repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = Monotonic.seconds()
            try body()
            best = min(best, Monotonic.seconds() - start)
        }
        return best
    }
}
