import Foundation
import GRDB

extension SQLiteStore {
    /// Marks as `stale` every `running` trial (of one study, or all) whose owner is gone: its
    /// process no longer exists on this host, or its heartbeat is older than
    /// ``Options/trialLease`` (the only evidence available for another host, or a reused pid).
    ///
    /// Finished trials are never touched. Returns the trials it marked, so their configurations
    /// can be proposed again.
    @discardableResult
    public func recoverStaleTrials(studyID: Int64? = nil, now: Date = Date()) throws(StoreError) -> [Trial] {
        let (lease, host) = (options.trialLease, owner.host)
        return try write("recover stale trials") { db in
            try SQLiteStore.markOrphansStale(db, studyID: studyID, now: now, lease: lease, host: host)
        }
    }

    /// Inside a write transaction: marks the orphaned `running` trials of a study (or all) `stale`.
    static func markOrphansStale(_ db: Database, studyID: Int64?, now: Date, lease: Double, host: String) throws -> [Trial] {
        // Two statements rather than `?1 IS NULL OR study_id = ?1`, which keeps SQLite from using
        // the (study_id, state) index: every claim runs this, so it must not scan the table.
        let running = try studyID.map { id in
            try Trial.fetchAll(db.cachedStatement(sql: "SELECT * FROM trials WHERE study_id = ? AND state = 'running' ORDER BY id"),
                               arguments: [id])
        } ?? Trial.fetchAll(db, sql: "SELECT * FROM trials WHERE state = 'running' ORDER BY id")
        var marked: [Trial] = []
        for trial in running {
            guard let reason = trial.orphanReason(now: now, lease: lease, host: host) else { continue }
            try db.execute(sql: "UPDATE trials SET state = 'stale', error = ? WHERE id = ? AND state = 'running'",
                           arguments: [reason, trial.id])
            var updated = trial
            updated.state = .stale
            updated.error = reason
            marked.append(updated)
        }
        return marked
    }

}
