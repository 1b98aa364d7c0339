import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process that runs a trial: its pid on its host. Recorded on every trial it starts so a
/// later process can tell an orphaned `running` trial from one still in progress.
public struct ProcessOwner: Sendable, Hashable {
    public var pid: Int32
    public var host: String

    public init(pid: Int32, host: String) {
        self.pid = pid
        self.host = host
    }

    /// This process.
    public static let current = ProcessOwner(pid: getpid(), host: hostName())

    /// Whether a process with this pid exists on this machine. Only meaningful for owners on this
    /// host; a pid reused by an unrelated process reads as alive, which the heartbeat lease covers.
    public var isAliveLocally: Bool {
        if pid == getpid() { return true }
        if kill(pid, 0) == 0 { return true }
        return errno == EPERM  // exists, but belongs to another user
    }

    // `ProcessInfo.hostName` may resolve DNS (slow, and it can hang offline); gethostname does not.
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
