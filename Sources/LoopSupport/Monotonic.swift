/// The one clock for measuring how long something took (benchmarks, progress lines, timeouts,
/// the thread pool's spin): Swift's `ContinuousClock`, as plain numbers counted from the first
/// reading in the process. Immune to wall-clock jumps; the wall clock (`now()`) is LoopLab's
/// `WallClock`.
public enum Monotonic {
    private static let origin = ContinuousClock.now

    /// Seconds since the process first read this clock.
    public static func seconds() -> Double {
        let elapsed = origin.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    /// Nanoseconds since the process first read this clock.
    public static func nanoseconds() -> UInt64 {
        let elapsed = origin.duration(to: .now).components
        return UInt64(max(0, elapsed.seconds)) &* 1_000_000_000 &+ UInt64(max(0, elapsed.attoseconds / 1_000_000_000))
    }
}
