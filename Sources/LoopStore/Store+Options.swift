import Foundation
import GRDB

extension Store {
    /// How hard a commit works to survive a power loss.
    ///
    /// Both levels survive a killed or crashed process: a commit has reached the WAL in the OS
    /// before it returns, and the database is never corrupted. They differ only on power loss.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous = NORMAL` (the default, SQLite's advice for WAL): a power loss may roll
        /// back the last few commits, never more. About 0.3 ms per trial write.
        case normal
        /// `synchronous = FULL`: every commit fsyncs the WAL, so a committed trial survives power
        /// loss too; costs one fsync per commit (about 4 ms on a virtual disk).
        case full
    }

    /// How a store is opened.
    public struct Options: Sendable {
        /// How long a writer waits for another process's write lock before failing, in seconds.
        public var busyTimeout: Double = 30
        /// See ``Durability``.
        public var durability: Durability = .normal
        /// A cap on the database size in pages (`PRAGMA max_page_count`); writes beyond it fail
        /// with ``StoreError/diskFull(path:operation:)`` like a full disk. `nil`: no cap.
        public var maxPageCount: Int? = nil
        /// A `running` trial whose heartbeat is older than this (seconds) is stale even if its
        /// process cannot be checked (another host, or a reused pid). The store renews the
        /// heartbeats of its own running trials every quarter lease (at most every 10 s), so
        /// only a worker that stopped (killed, suspended, cut off) misses it.
        public var trialLease: Double = 120
        /// Open for reading only: nothing is created, migrated or written, so a store on read-only
        /// media (a mounted backup, a CD of results) can still be listed and exported.
        public var readOnly = false

        public init(busyTimeout: Double = 30, durability: Durability = .normal,
                    maxPageCount: Int? = nil, trialLease: Double = 120, readOnly: Bool = false) {
            self.busyTimeout = busyTimeout
            self.durability = durability
            self.maxPageCount = maxPageCount
            self.trialLease = trialLease
            self.readOnly = readOnly
        }

        func configuration() -> Configuration {
            var config = Configuration()
            // Both writers (other processes) and readers (WAL recovery after a crash) may meet a
            // lock; waiting is always better than failing a research loop.
            config.busyMode = .timeout(busyTimeout)
            config.foreignKeysEnabled = true
            config.label = "LoopStore"
            config.readonly = readOnly
            let maxPageCount = self.maxPageCount
            config.prepareDatabase { db in
                if let maxPageCount {
                    try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)")
                }
            }
            return config
        }
    }
}
