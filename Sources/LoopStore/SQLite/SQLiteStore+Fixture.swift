import Foundation
import GRDB
import LoopSupport

extension SQLiteStore {
    /// Records finished trials in one transaction (benchmarks and fixtures: a 10,000-trial
    /// study in well under a second). Each trial is numbered after the study's last, started one
    /// `spacing` after the previous one, and finished half a `spacing` later.
    public func recordTrials(studyID: Int64, _ trials: [(params: [String: JSONValue], metrics: [String: Double], value: Double?)],
                             state: TrialState = .complete, start: Date = Date(), spacing: Double = 1) throws(StoreError) {
        var rows: [(String, String, Double?, Date)] = []
        for (i, t) in trials.enumerated() {
            rows.append((try JSONText.encode(t.params, column: "trials.params"), try JSONText.encode(t.metrics, column: "trials.metrics"),
                         t.value, start.addingTimeInterval(Double(i) * spacing)))
        }
        try write("record \(trials.count) trials") { db in
            try SQLiteStore.requireStudy(db, studyID)
            var next = try Int.fetchOne(db, sql: "SELECT coalesce(max(number), -1) + 1 FROM trials WHERE study_id = ?", arguments: [studyID]) ?? 0
            let statement = try db.makeStatement(sql: """
                INSERT INTO trials (study_id, number, params, state, metrics, value, started_at, finished_at, heartbeat_at, pid, host)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (params, metrics, value, started) in rows {
                let finished = started.addingTimeInterval(spacing / 2)
                try statement.execute(arguments: [studyID, next, params, state, metrics, value, started, finished, finished, owner.pid, owner.host])
                next += 1
            }
        }
    }
}
