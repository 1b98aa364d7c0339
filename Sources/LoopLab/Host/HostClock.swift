import Glibc

/// Where `now()` gets the time. Tests inject a fixed clock; everything else uses `SystemClock`.
public protocol Clock: Sendable {
    /// Wall-clock time in seconds since the Unix epoch.
    func now() -> Double
}

/// The real wall clock (`CLOCK_REALTIME`).
public struct SystemClock: Clock {
    public init() {}

    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// A monotonic clock for measuring durations (benchmarks), immune to wall-clock jumps.
public enum MonotonicClock {
    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
