import Foundation
import Synchronization

/// Keeps the heartbeat of every trial this process is running. A background thread renews them
/// every quarter lease (at most every 10 s), so a trial whose body runs for an hour without
/// reporting (one long `train`) is never taken for an orphan by another worker, while the trials
/// of a worker that was killed or lost its machine fall silent and go stale after the lease.
public final class Heartbeats: Sendable {
    private struct State {
        var trials: Set<Int64> = []
        var threadStarted = false
        var stopped = false
    }
    private let state = Mutex(State())
    /// Wakes the thread early when the store closes.
    private let wake = NSCondition()
    /// Held while a beat writes, so `stop` returns only once no write is in progress (the store
    /// closes its connections right after).
    private let writing = NSLock()
    /// Renews the given running trials' heartbeats in the backend's database, best effort: a
    /// beat that fails (a busy store, a server restarting) is retried at the next one, and one
    /// missed beat is far inside the lease.
    private let beat: @Sendable (_ trialIDs: [Int64], _ now: Date) -> Void
    let interval: Double

    public init(lease: Double, beat: @escaping @Sendable (_ trialIDs: [Int64], _ now: Date) -> Void) {
        self.beat = beat
        self.interval = max(0.05, min(10, lease / 4))
    }

    /// Starts renewing `trialID` (a trial this process just started).
    public func keep(_ trialID: Int64) {
        let start = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.trials.insert(trialID)
            defer { state.threadStarted = true }
            return !state.threadStarted
        }
        guard start else { return }
        let thread = Thread { [self] in run() }
        thread.name = "looplab heartbeats"
        thread.start()
    }

    /// Stops renewing `trialID` (it finished).
    public func release(_ trialID: Int64) {
        _ = state.withLock { $0.trials.remove(trialID) }
    }

    /// Stops the thread for good (the store is closing).
    public func stop() {
        state.withLock { $0.stopped = true }
        wake.lock()
        wake.broadcast()
        wake.unlock()
        writing.lock()
        writing.unlock()
    }

    private func run() {
        while true {
            wake.lock()
            _ = wake.wait(until: Date().addingTimeInterval(interval))
            wake.unlock()
            writing.lock()
            defer { writing.unlock() }
            let (trials, stopped) = state.withLock { ($0.trials, $0.stopped) }
            if stopped { return }
            guard !trials.isEmpty else { continue }
            beat(trials.sorted(), Date())
        }
    }
}
