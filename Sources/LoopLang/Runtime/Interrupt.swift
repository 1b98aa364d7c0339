import Glibc
import Synchronization

/// Bit 0: Ctrl-C was requested. The bits above count armed deadlines that have expired (see
/// `Deadline`), so running code checks one word for both and pays nothing extra while neither
/// is pending.
private let pending = Atomic<Int>(0)
/// How many Ctrl-Cs (and SIGTERMs) were requested since the process started; never decreases.
private let requested = Atomic<Int>(0)
/// Set once a termination request (SIGTERM) arrived: the program should stop as after Ctrl-C
/// and exit 143 instead of 130.
private let terminating = Atomic<Bool>(false)

/// Ctrl-C support. A signal handler calls `request()`; running code raises the catchable
/// "interrupted" error at its next statement, loop iteration or call, and long host primitives
/// poll `isRequested` at their own checkpoints.
///
/// The same checkpoints stop code whose `Deadline` (a study's per-trial time budget) has passed:
/// they raise the deadline's error instead, and keep raising it until the deadline is cancelled.
public enum Interrupt {
    /// Async-signal-safe: only atomic read-modify-writes.
    public static func request() {
        requested.wrappingAdd(1, ordering: .relaxed)
        pending.bitwiseOr(1, ordering: .relaxed)
    }

    /// A request to stop because the process was asked to terminate (SIGTERM): running code stops
    /// exactly as after Ctrl-C, and `isTerminating` tells the host to exit 143. Async-signal-safe.
    public static func requestTermination() {
        terminating.store(true, ordering: .relaxed)
        request()
    }

    /// Whether a termination request arrived (see `requestTermination`).
    public static var isTerminating: Bool { terminating.load(ordering: .relaxed) }

    /// How many stop requests (Ctrl-C or SIGTERM) arrived so far. Work that must not count as
    /// finished once the user stopped it (a study's trial) compares this with the count when it
    /// began, since the request itself may have been consumed by a `catch` in between.
    public static var requestCount: Int { requested.load(ordering: .relaxed) }
    /// Forgets a pending Ctrl-C. An expired deadline stays in force until it is cancelled.
    public static func clear() { pending.bitwiseAnd(~1, ordering: .relaxed) }

    /// Whether running code should stop: Ctrl-C is pending, or the deadline of the code running
    /// on this thread has passed. Long host primitives poll this.
    @inline(__always) public static var isRequested: Bool {
        let state = pending.load(ordering: .relaxed) & ~StepBudget.flag
        return state != 0 && (state & 1 != 0 || Deadline.expiredOnCurrentThread() != nil)
    }

    /// Whether Ctrl-C (not a deadline) is pending.
    public static var isUserRequested: Bool { pending.load(ordering: .relaxed) & 1 != 0 }

    /// Raises "interrupted" (and clears the request) when one is pending, or the error of this
    /// thread's expired deadline, placed at `span`.
    @inline(__always) public static func check(at span: SourceSpan? = nil) throws(LoopError) {
        if pending.load(ordering: .relaxed) != 0 { try slowCheck(at: span) }
    }

    /// Raises the error of this thread's expired deadline, if any; a pending Ctrl-C is left for
    /// the next `check`. For host primitives that must not finish normally once the budget of the
    /// code that called them has run out (a `train` stopped early, a trial about to complete).
    public static func checkDeadline(at span: SourceSpan? = nil) throws(LoopError) {
        if pending.load(ordering: .relaxed) & ~(StepBudget.flag | 1) != 0, let expired = Deadline.expiredOnCurrentThread() {
            throw expired.error(at: span)
        }
    }

    @inline(never) private static func slowCheck(at span: SourceSpan?) throws(LoopError) {
        if pending.load(ordering: .relaxed) & StepBudget.flag != 0 { try StepBudget.spend(at: span) }
        if pending.bitwiseAnd(~1, ordering: .relaxed).oldValue & 1 != 0 {
            throw LoopError(.interrupted, at: span)
        }
        try checkDeadline(at: span)
    }

    /// Counts a deadline that expired (+1) or an expired one that was cancelled (-1).
    static func adjustExpired(by delta: Int) { pending.wrappingAdd(delta * 2, ordering: .relaxed) }
}

/// A limit on how many checkpoints (statements in loops, loop iterations, calls) code may pass,
/// for running untrusted programs to completion in bounded time: the fuzz target runs every input
/// under one. While a budget is armed, a flag bit keeps every checkpoint on its slow path, which
/// counts; ordinary runs never pay for it. Once spent, every checkpoint raises the error (kind
/// "budget"), so a `catch` inside the program cannot outlive it.
public enum StepBudget {
    static let flag = 1 << 60
    private static let remaining = Atomic<Int>(0)
    private static let granted = Atomic<Int>(0)
    /// The thread whose code is counted; code on other threads runs on unhindered.
    private static let thread = Atomic<UInt>(0)

    /// Runs `body` with at most `steps` checkpoints on the calling thread. One budget at a time.
    public static func run<T>(steps: Int, _ body: () throws -> T) rethrows -> T {
        remaining.store(steps, ordering: .relaxed)
        granted.store(steps, ordering: .relaxed)
        thread.store(UInt(pthread_self()), ordering: .relaxed)
        pending.bitwiseOr(flag, ordering: .relaxed)
        defer { pending.bitwiseAnd(~flag, ordering: .relaxed) }
        return try body()
    }

    static func spend(at span: SourceSpan?) throws(LoopError) {
        guard thread.load(ordering: .relaxed) == UInt(pthread_self()) else { return }
        if remaining.wrappingSubtract(1, ordering: .relaxed).oldValue <= 0 {
            remaining.store(0, ordering: .relaxed)
            throw LoopError(.stepBudgetExhausted(steps: granted.load(ordering: .relaxed)), at: span)
        }
    }
}
