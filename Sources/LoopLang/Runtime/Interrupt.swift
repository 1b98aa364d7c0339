import Synchronization

private let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C support. A signal handler calls `request()`; running code raises the catchable
/// "interrupted" error at its next statement, loop iteration or call, and long host primitives
/// poll `isRequested` at their own checkpoints.
public enum Interrupt {
    /// Async-signal-safe: only stores to an atomic flag.
    public static func request() { interruptRequested.store(true, ordering: .relaxed) }
    public static func clear() { interruptRequested.store(false, ordering: .relaxed) }
    @inline(__always) public static var isRequested: Bool { interruptRequested.load(ordering: .relaxed) }

    /// Raises "interrupted" (and clears the request) when one is pending, placed at `span`.
    @inline(__always) public static func check(at span: SourceSpan? = nil) throws(LoopError) {
        if interruptRequested.load(ordering: .relaxed), interruptRequested.exchange(false, ordering: .relaxed) {
            throw LoopError(.interrupted, at: span)
        }
    }
}
