import LoopLab

/// Best-of-N wall-clock timing around the measured work only.
enum BenchTimer {
    static func best(of repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = MonotonicClock.seconds()
            try body()
            best = min(best, MonotonicClock.seconds() - start)
        }
        return best
    }
}
