import Foundation
import GRDB


extension SQLiteStore {
    /// The id of the newest trial in the store (0 when there is none): what `studyActivity`
    /// counts from.
    public func lastTrialID() throws(StoreError) -> Int64 {
        try read("read the newest trial id") { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM trials") ?? 0 }
    }

    /// The studies that have a trial newer than `afterTrialID`, by name. By id, not by time:
    /// a range of the table's key, so a launcher can ask twice a second of a large store.
    public func studyActivity(afterTrialID: Int64) throws(StoreError) -> [StudyActivity] {
        try read("read the studies' progress") { db in
            let studies = try Study.fetchAll(db, sql: """
                SELECT * FROM studies WHERE id IN (SELECT DISTINCT study_id FROM trials WHERE id > ?) ORDER BY name
                """, arguments: [afterTrialID])
            return try studies.map { study in
                var counts: [TrialState: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM trials WHERE study_id = ? GROUP BY state",
                                            arguments: [study.id]) {
                    if let state = TrialState(rawValue: row["state"]) { counts[state] = row["n"] }
                }
                let aggregate = study.goalDirection == .maximize ? "max" : "min"
                let best = try Double.fetchOne(db, sql: "SELECT \(aggregate)(value) FROM trials WHERE study_id = ? AND state = 'complete'",
                                               arguments: [study.id])
                let owners = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM (SELECT DISTINCT host, pid FROM trials WHERE study_id = ? AND state = 'running')
                    """, arguments: [study.id]) ?? 0
                return StudyActivity(name: study.name, goalMetric: study.goalMetric, goalDirection: study.goalDirection,
                                     counts: counts, best: best, runningOwners: owners)
            }
        }
    }
}
