import Foundation

extension Trial {
    /// Why a running trial counts as orphaned, or `nil` if its owner may still be working on it.
    public func orphanReason(now: Date, lease: Double, host localHost: String) -> String? {
        if let pid, host == localHost, !ProcessOwner(pid: pid, host: localHost).isAliveLocally {
            return "stale: process \(pid) on \(localHost) no longer exists"
        }
        let silence = now.timeIntervalSince(heartbeatAt)
        if silence > lease {
            return "stale: no heartbeat for \(Int(silence)) s (lease \(Int(lease)) s)"
        }
        return nil
    }
}
