import Foundation
import GRDB
import LoopSupport

extension SQLiteStore {
    /// Starts a trial: a `running` row owned by this process, numbered after the study's last.
    ///
    /// The number is taken inside the write transaction, so concurrent processes never collide.
    /// `repeatOf` marks a repeat: the number of the trial whose configuration it runs again, and
    /// `repeatIndex` which repeat it is (1, 2, ...).
    public func startTrial(studyID: Int64, params: [String: JSONValue], seed: Int? = nil,
                           repeatOf: Int? = nil, repeatIndex: Int = 0,
                           now: Date = Date()) throws(StoreError) -> Trial {
        let paramsJSON = try JSONText.encode(params, column: "trials.params")
        let trial = try write("start a trial") { db in
            try SQLiteStore.requireStudy(db, studyID)
            try SQLiteStore.insertRunningTrial(db, studyID: studyID, paramsJSON: paramsJSON, seed: seed, repeatOf: repeatOf,
                                         repeatIndex: repeatIndex, now: now, owner: owner)
            return try SQLiteStore.fetchTrial(db, db.lastInsertedRowID)
        }
        heartbeats.keep(trial.id)
        return trial
    }

    static func insertRunningTrial(_ db: Database, studyID: Int64, paramsJSON: String, seed: Int?, repeatOf: Int?,
                                   repeatIndex: Int, now: Date, owner: ProcessOwner) throws {
        try db.cachedStatement(sql: """
            INSERT INTO trials (study_id, number, params, state, seed, started_at, heartbeat_at, pid, host,
                                repeat_of, repeat_index)
            VALUES (?, (SELECT coalesce(max(number), -1) + 1 FROM trials WHERE study_id = ?),
                    ?, 'running', ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [studyID, studyID, paramsJSON, seed, now, now, owner.pid, owner.host,
                                     repeatOf, repeatIndex])
    }

    /// Starts a trial only if the study has room for it and nobody has its parameters yet: one
    /// write transaction that counts, checks and inserts, so processes sharing a study never
    /// overshoot `maxTrials` and never run one configuration twice. The same transaction first
    /// marks the study's orphaned trials `stale` (a worker that died mid-trial), so they free
    /// their place and their configurations are proposed again.
    ///
    /// - `maxTrials`: the limit on trials that are neither stale nor repeats; running trials of
    ///   other processes count (they will finish). `nil`: no limit.
    /// - `allowRepeat`: when false, parameters equal to those of a trial that is not stale (its
    ///   canonical JSON text) are refused as ``TrialClaim/taken(by:)``.
    public func claimTrial(studyID: Int64, params: [String: JSONValue], maxTrials: Int?, allowRepeat: Bool,
                           now: Date = Date()) throws(StoreError) -> TrialClaim {
        let paramsJSON = try JSONText.encode(params, column: "trials.params")
        let (lease, host) = (options.trialLease, owner.host)
        let claim = try write("claim a trial") { db -> TrialClaim in
            try SQLiteStore.requireStudy(db, studyID)
            let orphans = try SQLiteStore.markOrphansStale(db, studyID: studyID, now: now, lease: lease, host: host)
            if !orphans.isEmpty { return .orphansFound(orphans) }
            // Cached statements: a claim runs these for every trial, and preparing them again
            // each time was a tenth of a trivial trial's cost.
            // `max(number) + 1` (one index lookup) bounds the count from above, so the exact
            // count, a scan of the study, runs only near the limit.
            if let maxTrials, try Int.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(number), -1) + 1 FROM trials WHERE study_id = ?"),
                                               arguments: [studyID]) ?? 0 >= maxTrials {
                let count = try Int.fetchOne(db.cachedStatement(sql: """
                    SELECT count(*) FROM trials WHERE study_id = ? AND state != 'stale' AND repeat_of IS NULL
                    """), arguments: [studyID]) ?? 0
                if count >= maxTrials { return .limitReached(count: count) }
            }
            // By the (study_id, params) index: ordering by number would make SQLite walk the
            // study's trials in number order instead, one scan per claim.
            if !allowRepeat, let holder = try Trial.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM trials INDEXED BY trials_by_params WHERE study_id = ? AND params = ? AND state != 'stale'
                ORDER BY number LIMIT 1
                """), arguments: [studyID, paramsJSON]) {
                return .taken(by: holder)
            }
            try SQLiteStore.insertRunningTrial(db, studyID: studyID, paramsJSON: paramsJSON, seed: nil, repeatOf: nil,
                                         repeatIndex: 0, now: now, owner: owner)
            return .started(try SQLiteStore.fetchTrial(db, db.lastInsertedRowID))
        }
        if case .started(let trial) = claim { heartbeats.keep(trial.id) }
        return claim
    }

    /// Finishes a `running` (or `stale`) trial with its outcome. `state` must be final
    /// (`complete`, `failed`, `pruned`, `diverged` or `interrupted`).
    ///
    /// A trial marked stale by another process may still be finished by its owner: a late result
    /// is better than a lost one. A trial that already finished is never rewritten.
    @discardableResult
    public func finishTrial(id: Int64, state: TrialState, metrics: [String: Double] = [:], integerMetrics: Set<String> = [],
                            value: Double? = nil, error: String? = nil, now: Date = Date()) throws(StoreError) -> Trial {
        precondition(state.isFinished, "finishTrial needs a final state, not \(state)")
        let metricsJSON = MetricsJSON.encode(metrics, integers: integerMetrics)
        heartbeats.release(id)
        return try write("finish the trial with id \(id)") { db in
            try db.cachedStatement(sql: """
                UPDATE trials SET state = ?, metrics = ?, value = ?, error = ?, finished_at = ?, heartbeat_at = ?
                WHERE id = ? AND state IN ('running', 'stale')
                """).execute(arguments: [state, metricsJSON, value, error, now, now, id])
            let changed = db.changesCount
            let trial = try SQLiteStore.fetchTrial(db, id)
            if changed == 0 { throw StoreError.trialAlreadyFinished(id: id, state: trial.state) }
            return trial
        }
    }

    /// Records an already finished trial in one transaction (imports, external runs, benchmarks).
    @discardableResult
    public func recordTrial(studyID: Int64, params: [String: JSONValue], state: TrialState,
                            metrics: [String: Double] = [:], value: Double? = nil, error: String? = nil,
                            seed: Int? = nil, now: Date = Date()) throws(StoreError) -> Trial {
        precondition(state.isFinished, "recordTrial needs a final state, not \(state)")
        let paramsJSON = try JSONText.encode(params, column: "trials.params")
        let metricsJSON = try JSONText.encode(metrics, column: "trials.metrics")
        return try write("record a trial") { db in
            try SQLiteStore.requireStudy(db, studyID)
            try db.execute(sql: """
                INSERT INTO trials (study_id, number, params, state, metrics, value, error, seed,
                                    started_at, finished_at, heartbeat_at, pid, host)
                VALUES (?, (SELECT coalesce(max(number), -1) + 1 FROM trials WHERE study_id = ?),
                        ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [studyID, studyID, paramsJSON, state, metricsJSON, value, error, seed,
                                 now, now, now, owner.pid, owner.host])
            return try SQLiteStore.fetchTrial(db, db.lastInsertedRowID)
        }
    }

    /// Records an intermediate value (replacing an earlier one at the same step) and renews the
    /// trial's heartbeat.
    public func report(trialID: Int64, step: Int, value: Double, now: Date = Date()) throws(StoreError) {
        try write("report step \(step) of the trial with id \(trialID)") { db in
            try db.execute(sql: "UPDATE trials SET heartbeat_at = ? WHERE id = ?", arguments: [now, trialID])
            if db.changesCount == 0 { throw StoreError.trialNotFound(id: trialID) }
            try db.execute(sql: """
                INSERT INTO trial_reports (trial_id, step, value, reported_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value, reported_at = excluded.reported_at
                """, arguments: [trialID, step, value, now])
        }
    }

    /// Renews a running trial's lease (see ``Options/trialLease``).
    public func heartbeat(trialID: Int64, now: Date = Date()) throws(StoreError) {
        try write("renew the heartbeat of the trial with id \(trialID)") { db in
            try db.execute(sql: "UPDATE trials SET heartbeat_at = ? WHERE id = ?", arguments: [now, trialID])
            if db.changesCount == 0 { throw StoreError.trialNotFound(id: trialID) }
        }
    }

    /// The trial with this id, or `nil`.
    public func trial(id: Int64) throws(StoreError) -> Trial? {
        try read("read the trial with id \(id)") { db in
            try Trial.fetchOne(db, sql: "SELECT * FROM trials WHERE id = ?", arguments: [id])
        }
    }

    /// A study's trials in number order, optionally only those in `states`.
    public func trials(studyID: Int64, states: Set<TrialState>? = nil) throws(StoreError) -> [Trial] {
        try read("list trials") { db in
            guard let states else {
                return try Trial.fetchAll(db, sql: "SELECT * FROM trials WHERE study_id = ? ORDER BY number",
                                          arguments: [studyID])
            }
            let list = states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
            return try Trial.fetchAll(db, sql: "SELECT * FROM trials WHERE study_id = ? AND state IN (\(list)) ORDER BY number",
                                      arguments: [studyID])
        }
    }

    /// A study's trials numbered `number` and above, in number order: how a process running a
    /// study picks up what other processes started and finished since it last looked (one
    /// indexed range read).
    public func trials(studyID: Int64, fromNumber number: Int) throws(StoreError) -> [Trial] {
        try read("list trials") { db in
            try Trial.fetchAll(db.cachedStatement(sql: "SELECT * FROM trials WHERE study_id = ? AND number >= ? ORDER BY number"),
                               arguments: [studyID, number])
        }
    }

    /// The best `complete` trial by value, in the study's goal direction (ties: the earliest).
    public func bestTrial(studyID: Int64) throws(StoreError) -> Trial? {
        try read("find the best trial") { db in
            guard let direction = try GoalDirection.fetchOne(
                db, sql: "SELECT goal_direction FROM studies WHERE id = ?", arguments: [studyID])
            else { throw StoreError.studyNotFound("id \(studyID)") }
            let order = direction == .minimize ? "ASC" : "DESC"
            return try Trial.fetchOne(db, sql: """
                SELECT * FROM trials WHERE study_id = ? AND state = 'complete' AND value IS NOT NULL
                ORDER BY value \(order), number LIMIT 1
                """, arguments: [studyID])
        }
    }

    /// The study's best configuration as `st.best` ranks it: once repeats have run (schema v3),
    /// the finalist with the best mean over its runs; before that, the best single trial.
    /// `trial` is the configuration's original (non-repeat) trial.
    public func bestConfiguration(studyID: Int64) throws(StoreError) -> (trial: Trial, mean: Double, runs: Int)? {
        try read("find the best configuration") { db in
            guard let direction = try GoalDirection.fetchOne(
                db, sql: "SELECT goal_direction FROM studies WHERE id = ?", arguments: [studyID])
            else { throw StoreError.studyNotFound("id \(studyID)") }
            let order = direction == .minimize ? "ASC" : "DESC"
            guard let row = try Row.fetchOne(db, sql: """
                WITH runs AS (
                  SELECT coalesce(repeat_of, number) AS config, value FROM trials
                  WHERE study_id = ?1 AND state = 'complete' AND value IS NOT NULL),
                groups AS (SELECT config, avg(value) AS mean, count(*) AS runs FROM runs GROUP BY config)
                SELECT g.config, g.mean, g.runs FROM groups g
                WHERE g.runs > 1 OR NOT EXISTS (SELECT 1 FROM groups WHERE runs > 1)
                ORDER BY g.mean \(order), g.config LIMIT 1
                """, arguments: [studyID]) else { return nil }
            let config: Int = row["config"]
            guard let trial = try Trial.fetchOne(db, sql: "SELECT * FROM trials WHERE study_id = ? AND number = ?",
                                                 arguments: [studyID, config]) else { return nil }
            return (trial, row["mean"], row["runs"])
        }
    }

    /// A trial's intermediate reports, by step.
    public func reports(trialID: Int64) throws(StoreError) -> [TrialReport] {
        try read("read reports") { db in
            try TrialReport.fetchAll(db, sql: "SELECT * FROM trial_reports WHERE trial_id = ? ORDER BY step",
                                     arguments: [trialID])
        }
    }

    /// The reports of these trials, by trial then step (read in chunks, within SQLite's limit on
    /// bound parameters).
    public func reports(trialIDs: [Int64]) throws(StoreError) -> [TrialReport] {
        try read("read reports") { db in
            var reports: [TrialReport] = []
            for start in stride(from: 0, to: trialIDs.count, by: 500) {
                let chunk = Array(trialIDs[start..<min(start + 500, trialIDs.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                reports += try TrialReport.fetchAll(db, sql: "SELECT * FROM trial_reports WHERE trial_id IN (\(marks)) ORDER BY trial_id, step",
                                                    arguments: StatementArguments(chunk))
            }
            return reports
        }
    }

    /// Every report of a study's trials (what pruners compare against), by trial then step.
    public func reports(studyID: Int64) throws(StoreError) -> [TrialReport] {
        try read("read reports") { db in
            try TrialReport.fetchAll(db, sql: """
                SELECT r.* FROM trial_reports r JOIN trials t ON t.id = r.trial_id
                WHERE t.study_id = ? ORDER BY r.trial_id, r.step
                """, arguments: [studyID])
        }
    }

    static func requireStudy(_ db: Database, _ studyID: Int64) throws {
        if try !Bool(exists: db, sql: "SELECT 1 FROM studies WHERE id = ?", arguments: [studyID]) {
            throw StoreError.studyNotFound("id \(studyID)")
        }
    }

    static func fetchTrial(_ db: Database, _ id: Int64) throws -> Trial {
        guard let trial = try Trial.fetchOne(db.cachedStatement(sql: "SELECT * FROM trials WHERE id = ?"), arguments: [id]) else {
            throw StoreError.trialNotFound(id: id)
        }
        return trial
    }
}

extension Bool {
    /// Whether the query returns at least one row.
    init(exists db: Database, sql: String, arguments: StatementArguments) throws {
        self = try Int.fetchOne(db, sql: "SELECT EXISTS (\(sql))", arguments: arguments) == 1
    }
}
