import Glibc

/// Where `now()` gets the wall-clock time. Tests inject a fixed clock; everything else uses
/// `SystemClock`. (Durations are measured with LoopSupport's `Monotonic`.)
public protocol WallClock: Sendable {
    /// Wall-clock time in seconds since the Unix epoch.
    func now() -> Double
}

/// The real wall clock (`CLOCK_REALTIME`).
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

