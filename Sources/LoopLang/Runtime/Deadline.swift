import Glibc
import LoopSupport
import Synchronization

/// A time limit on the code one interpreter runs (a study's per-trial budget). Armed on the
/// thread that runs the interpreter; once it passes, that thread's next statement, loop
/// iteration or call raises `error` (kind "deadline"), again at every checkpoint until the
/// deadline is cancelled, so a `catch` in the limited code cannot outlive it. Host primitives see
/// it through `Interrupt.isRequested` (a `train` stops; an `exec` kills its process group).
///
/// Other interpreters in the process are not affected: the expiry is tied to the arming thread.
/// A watchdog thread flips the flag at the deadline, so checkpoints never read the clock.
public final class Deadline: @unchecked Sendable {
    /// What the raised error says, e.g. "trial budget: stopped after 30s".
    public let reason: String
    /// The limit, in seconds from arming.
    public let seconds: Double
    let thread: pthread_t
    let at: Double

    init(seconds: Double, reason: String) {
        self.seconds = seconds
        self.reason = reason
        self.thread = pthread_self()
        self.at = Monotonic.seconds() + max(seconds, 0)
        Deadline.watch(self)
    }

    /// Whether the limit has passed (and checkpoints on the arming thread are raising its error).
    public var isExpired: Bool { Deadline.state.withLock { $0.expired.contains(ObjectIdentifier(self)) } }

    /// Disarms the deadline; code on its thread runs on unhindered. Safe to call more than once.
    public func cancel() {
        Deadline.state.withLock { state in
            state.armed.removeAll { $0 === self }
            if state.expired.remove(ObjectIdentifier(self)) != nil { Interrupt.adjustExpired(by: -1) }
        }
    }

    /// Makes the deadline pass now: code on its thread stops at its next checkpoint with this
    /// deadline's error, as if the time were up (a client cancelling the code it asked to run).
    public func expire() {
        Deadline.state.withLock { state in
            guard state.armed.contains(where: { $0 === self }), state.expired.insert(ObjectIdentifier(self)).inserted else { return }
            Interrupt.adjustExpired(by: 1)
        }
    }

    /// The expired, still armed deadline of the code running on the calling thread, if any (a
    /// host primitive that stopped because `Interrupt.isRequested` turned true can tell a budget
    /// from Ctrl-C).
    public static var expiredOnThisThread: Deadline? { expiredOnCurrentThread() }

    /// The error its checkpoints raise: catchable, of kind "deadline".
    public func error(at span: SourceSpan? = nil) -> LoopError {
        LoopError(.host(kind: "deadline", message: reason), at: span)
    }

    // MARK: the watchdog

    private struct State: ~Copyable {
        var armed: [Deadline] = []
        var expired: Set<ObjectIdentifier> = []
        var started = false
        /// The watchdog sleeps in poll() on the read end; arming writes a byte to wake it.
        var wakeRead: Int32 = -1
        var wakeWrite: Int32 = -1
    }

    private static let state = Mutex(State())

    /// The expired, still armed deadline of the code running on this thread, if any.
    static func expiredOnCurrentThread() -> Deadline? {
        let me = pthread_self()
        return state.withLock { state in
            for d in state.armed where pthread_equal(d.thread, me) != 0 && state.expired.contains(ObjectIdentifier(d)) { return d }
            return nil
        }
    }


    private static func watch(_ deadline: Deadline) {
        let wake: Int32 = state.withLock { state in
            state.armed.append(deadline)
            if !state.started {
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { return -1 }
                for fd in fds {
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                }
                (state.wakeRead, state.wakeWrite) = (fds[0], fds[1])
                state.started = true
                var thread = pthread_t()
                pthread_create(&thread, nil, { _ in Deadline.watchdog(); return nil }, nil)
                pthread_detach(thread)
            }
            return state.wakeWrite
        }
        if wake >= 0 {
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
        }
    }

    /// Sleeps until the earliest armed deadline (or a newly armed one), then marks what expired.
    private static func watchdog() -> Never {
        while true {
            let (fd, timeout): (Int32, Int32) = state.withLock { state in
                let now = Monotonic.seconds()
                var next: Double?
                for d in state.armed where !state.expired.contains(ObjectIdentifier(d)) { next = min(next ?? d.at, d.at) }
                guard let next else { return (state.wakeRead, -1) }
                return (state.wakeRead, Int32(min(max((next - now) * 1000, 0).rounded(.up), 60_000)))
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, timeout) > 0 {
                var buffer = [UInt8](repeating: 0, count: 64)
                while read(fd, &buffer, buffer.count) > 0 {}
            }
            state.withLock { state in
                let now = Monotonic.seconds()
                for d in state.armed where d.at <= now && !state.expired.contains(ObjectIdentifier(d)) {
                    state.expired.insert(ObjectIdentifier(d))
                    Interrupt.adjustExpired(by: 1)
                }
            }
        }
    }
}
