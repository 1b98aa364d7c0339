import Foundation
import GRDB

extension SQLiteStore {
    /// Creates the study, or reopens the one with the same name and updates its declaration (a
    /// space may grow between runs; its trials are kept).
    ///
    /// Reopening first marks trials orphaned by a dead process as `stale`
    /// (see ``recoverStaleTrials(studyID:now:)``), so the caller can propose them again; the
    /// previous stop reason is cleared because the study is running again.
    @discardableResult
    public func openStudy(_ spec: StudySpec, now: Date = Date()) throws(StoreError) -> Study {
        let space = try JSONText.encode(spec.space, column: "studies.space")
        let settings = try JSONText.encode(spec.settings, column: "studies.settings")
        let study = try write("open study \(spec.name)") { db in
            try db.execute(sql: """
                INSERT INTO studies (name, description, space, goal_metric, goal_direction, strategy,
                                     seed, settings, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET
                  description = excluded.description, space = excluded.space,
                  goal_metric = excluded.goal_metric, goal_direction = excluded.goal_direction,
                  strategy = excluded.strategy, seed = excluded.seed, settings = excluded.settings,
                  stop_reason = NULL, updated_at = excluded.updated_at
                """, arguments: [spec.name, spec.description, space, spec.goalMetric, spec.goalDirection,
                                 spec.strategy, spec.seed, settings, now, now])
            return try Study.fetchOne(db, sql: "SELECT * FROM studies WHERE name = ?", arguments: [spec.name])!
        }
        try recoverStaleTrials(studyID: study.id, now: now)
        return study
    }

    /// The study with this name, or `nil`.
    public func study(named name: String) throws(StoreError) -> Study? {
        try read("read study \(name)") { db in
            try Study.fetchOne(db, sql: "SELECT * FROM studies WHERE name = ?", arguments: [name])
        }
    }

    /// The study with this id, or `nil`.
    public func study(id: Int64) throws(StoreError) -> Study? {
        try read("read study \(id)") { db in
            try Study.fetchOne(db, sql: "SELECT * FROM studies WHERE id = ?", arguments: [id])
        }
    }

    /// All studies, oldest first.
    public func studies() throws(StoreError) -> [Study] {
        try read("list studies") { db in try Study.fetchAll(db, sql: "SELECT * FROM studies ORDER BY id") }
    }

    /// Records why the study stopped (the guardrail's name), or clears it with `nil`.
    public func setStopReason(studyID: Int64, _ reason: String?, now: Date = Date()) throws(StoreError) {
        try write("record the stop reason") { db in
            try db.execute(sql: "UPDATE studies SET stop_reason = ?, updated_at = ? WHERE id = ?",
                           arguments: [reason, now, studyID])
            if db.changesCount == 0 { throw StoreError.studyNotFound("id \(studyID)") }
        }
    }

    /// A short text that changes whenever a study's trials change (a new trial, a result, a
    /// heartbeat) or, with no study, whenever any study's do: a live view redraws only when it
    /// moves.
    public func changeStamp(studyID: Int64?) throws(StoreError) -> String {
        try read("read the change stamp") { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS n, max(heartbeat_at) AS beat, max(coalesce(finished_at, '')) AS finished,
                       (SELECT count(*) FROM studies) AS studies, (SELECT max(updated_at) FROM studies) AS updated
                FROM trials WHERE ?1 IS NULL OR study_id = ?1
                """, arguments: [studyID])
            let n: Int = row?["n"] ?? 0
            let beat: String = row?["beat"] ?? "", finished: String = row?["finished"] ?? ""
            let studies: Int = row?["studies"] ?? 0
            let updated: String = row?["updated"] ?? ""
            return "\(studies) \(n) \(beat) \(finished) \(updated)"
        }
    }
}
