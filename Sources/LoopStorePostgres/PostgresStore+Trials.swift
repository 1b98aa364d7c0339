import Foundation
import LoopStore
import LoopSupport
import PostgresNIO

extension PostgresStore {
    // MARK: Studies

    public func openStudy(_ spec: StudySpec, now: Date) throws(StoreError) -> Study {
        let space = try JSONText.encode(spec.space, column: "studies.space")
        let settings = try JSONText.encode(spec.settings, column: "studies.settings")
        let study = try statements("open study \(spec.name)") { sql in
            guard let row = try sql.row("""
                INSERT INTO studies (name, description, space, goal_metric, goal_direction, strategy, seed, settings,
                                     created_at, updated_at)
                VALUES (\(spec.name), \(spec.description), \(space), \(spec.goalMetric), \(spec.goalDirection.rawValue),
                        \(spec.strategy), \(spec.seed), \(settings), \(now), \(now))
                ON CONFLICT (name) DO UPDATE SET
                  description = excluded.description, space = excluded.space, goal_metric = excluded.goal_metric,
                  goal_direction = excluded.goal_direction, strategy = excluded.strategy, seed = excluded.seed,
                  settings = excluded.settings, stop_reason = NULL, updated_at = excluded.updated_at
                RETURNING \(unescaped: Self.studyColumns)
                """) else { throw StoreError.studyNotFound(spec.name) }
            return try Self.study(row)
        }
        _ = try recoverStaleTrials(studyID: study.id, now: now)
        return study
    }

    public func study(named name: String) throws(StoreError) -> Study? {
        try statements("read study \(name)") { sql in
            try sql.row("SELECT \(unescaped: Self.studyColumns) FROM studies WHERE name = \(name)").map(Self.study)
        }
    }

    public func study(id: Int64) throws(StoreError) -> Study? {
        try statements("read study \(id)") { sql in
            try sql.row("SELECT \(unescaped: Self.studyColumns) FROM studies WHERE id = \(id)").map(Self.study)
        }
    }

    public func studies() throws(StoreError) -> [Study] {
        try statements("list studies") { sql in
            try sql.rows("SELECT \(unescaped: Self.studyColumns) FROM studies ORDER BY id").map(Self.study)
        }
    }

    public func setStopReason(studyID: Int64, _ reason: String?, now: Date) throws(StoreError) {
        try statements("record the stop reason") { sql in
            if try sql.execute("UPDATE studies SET stop_reason = \(reason), updated_at = \(now) WHERE id = \(studyID)") == 0 {
                throw StoreError.studyNotFound("id \(studyID)")
            }
        }
    }

    public func changeStamp(studyID: Int64?) throws(StoreError) -> String {
        try statements("read the change stamp") { sql in
            let row = try sql.row("""
                SELECT count(*) AS n, max(heartbeat_at)::text AS beat, max(finished_at)::text AS finished,
                       (SELECT count(*) FROM studies) AS studies, (SELECT max(updated_at)::text FROM studies) AS updated
                FROM trials WHERE \(studyID)::bigint IS NULL OR study_id = \(studyID)
                """)
            let parts = try ["n", "beat", "finished", "studies", "updated"].map { column -> String in
                guard let cell = row?[column] else { return "" }
                if let number = try? cell.decode(Int.self) { return String(number) }
                return try cell.decode(String?.self) ?? ""
            }
            return parts.joined(separator: " ")
        }
    }

    public func lastTrialID() throws(StoreError) -> Int64 {
        try statements("read the newest trial id") { sql in
            try sql.row("SELECT max(id) AS id FROM trials")?["id"].decode(Int64?.self) ?? 0
        }
    }

    public func studyActivity(afterTrialID: Int64) throws(StoreError) -> [StudyActivity] {
        try statements("read the studies' progress") { sql in
            let studies = try sql.rows("""
                SELECT \(unescaped: Self.studyColumns) FROM studies
                WHERE id IN (SELECT DISTINCT study_id FROM trials WHERE id > \(afterTrialID)) ORDER BY name
                """).map(Self.study)
            return try studies.map { study in
                var counts: [TrialState: Int] = [:]
                for row in try sql.rows("SELECT state, count(*) AS n FROM trials WHERE study_id = \(study.id) GROUP BY state") {
                    if let state = TrialState(rawValue: try row["state"].decode(String.self)) { counts[state] = try row["n"].decode(Int.self) }
                }
                let aggregate = study.goalDirection == .maximize ? "max" : "min"
                let best = try sql.row("""
                    SELECT \(unescaped: aggregate)(value) AS best FROM trials WHERE study_id = \(study.id) AND state = 'complete'
                    """)?["best"].decode(Double?.self)
                let owners = try sql.row("""
                    SELECT count(*) AS n FROM (SELECT DISTINCT host, pid FROM trials WHERE study_id = \(study.id) AND state = 'running') o
                    """)?["n"].decode(Int.self) ?? 0
                return StudyActivity(name: study.name, goalMetric: study.goalMetric, goalDirection: study.goalDirection,
                                     counts: counts, best: best, runningOwners: owners)
            }
        }
    }

    // MARK: Trials

    /// Takes the study's next `count` trial numbers; returns the first. The update locks the
    /// study's row until the transaction ends, so numbers and `max_trials` hold across processes
    /// and machines (`claim_trial` takes them the same way).
    static func takeNumbers(_ sql: PostgresSQL, _ studyID: Int64, count: Int = 1) throws -> Int {
        guard let first = try sql.row("""
            UPDATE studies SET next_number = next_number + \(count) WHERE id = \(studyID) RETURNING next_number - \(count) AS first
            """)?["first"].decode(Int.self) else {
            throw StoreError.studyNotFound("id \(studyID)")
        }
        return first
    }

    /// Inserts a trial numbered `number`, or finds the one this token already inserted (a
    /// commit whose acknowledgement was lost).
    static func insertTrial(_ sql: PostgresSQL, token: UUID, studyID: Int64, number: Int, paramsJSON: String, state: TrialState,
                            metricsJSON: String = "{}", value: Double? = nil, error: String? = nil, seed: Int?,
                            repeatOf: Int? = nil, repeatIndex: Int = 0, started: Date, finished: Date?, owner: ProcessOwner) throws -> Trial {
        guard let row = try sql.row("""
            INSERT INTO trials (study_id, number, params, state, metrics, value, error, seed, started_at, finished_at,
                                heartbeat_at, pid, host, repeat_of, repeat_index, token)
            VALUES (\(studyID), \(number),
                    \(paramsJSON), \(state.rawValue), \(metricsJSON), \(value), \(error), \(seed), \(started), \(finished),
                    \(finished ?? started), \(owner.pid), \(owner.host), \(repeatOf), \(repeatIndex), \(token))
            RETURNING \(unescaped: trialColumns)
            """) else { throw StoreError.trialNotFound(id: -1) }
        return try trial(row)
    }

    public func startTrial(studyID: Int64, params: [String: JSONValue], seed: Int?, repeatOf: Int?, repeatIndex: Int,
                           now: Date) throws(StoreError) -> Trial {
        let paramsJSON = try JSONText.encode(params, column: "trials.params")
        let token = UUID()
        let owner = self.owner
        let trial = try transaction("start a trial") { sql in
            if let mine = try sql.row("SELECT \(unescaped: Self.trialColumns) FROM trials WHERE token = \(token)") { return try Self.trial(mine) }
            return try Self.insertTrial(sql, token: token, studyID: studyID, number: try Self.takeNumbers(sql, studyID), paramsJSON: paramsJSON, state: .running, seed: seed,
                                        repeatOf: repeatOf, repeatIndex: repeatIndex, started: now, finished: nil, owner: owner)
        }
        heartbeats.keep(trial.id)
        return trial
    }

    public func claimTrial(studyID: Int64, params: [String: JSONValue], maxTrials: Int?, allowRepeat: Bool,
                           now: Date) throws(StoreError) -> TrialClaim {
        let paramsJSON = try JSONText.encode(params, column: "trials.params")
        let token = UUID()
        let (owner, lease) = (self.owner, options.trialLease)
        let limit = maxTrials.map { Int32(clamping: $0) }
        // One round trip (the schema's `claim_trial`). A process of this host that died holding
        // a trial is seen only here (the server cannot tell): its trials are marked stale after,
        // and unless a trial was started the caller hears of them and proposes again.
        let (claim, suspects) = try statements("claim a trial") { sql -> (TrialClaim, [Int32]) in
            let rows = try sql.rows("""
                SELECT * FROM claim_trial(\(studyID), \(paramsJSON), \(limit), \(allowRepeat), \(lease), \(owner.host),
                                          \(owner.pid), \(now), \(token))
                """)
            guard let row = rows.first else { throw StoreError.studyNotFound("id \(studyID)") }
            let suspects = try row["suspects"].decode([Int32]?.self) ?? []
            switch try row["outcome"].decode(String.self) {
            case "started": return (.started(try Self.trial(row)), suspects)
            case "taken": return (.taken(by: try Self.trial(row)), suspects)
            case "limit": return (.limitReached(count: try row["held"].decode(Int.self)), suspects)
            case "orphans": return (.orphansFound(try rows.map(Self.trial)), suspects)
            default: throw StoreError.studyNotFound("id \(studyID)")
            }
        }
        let dead = suspects.filter { !ProcessOwner(pid: $0, host: owner.host).isAliveLocally }
        let orphans = dead.isEmpty ? [] : try markDeadProcessesStale(studyID: studyID, pids: dead)
        switch claim {
        case .started(let trial):
            heartbeats.keep(trial.id)
            return claim
        case .orphansFound(let marked):
            return .orphansFound(marked + orphans)
        case .limitReached, .taken:
            return orphans.isEmpty ? claim : .orphansFound(orphans)
        }
    }

    /// Marks the running trials of dead processes of this host stale; returns them.
    private func markDeadProcessesStale(studyID: Int64, pids: [Int32]) throws(StoreError) -> [Trial] {
        let host = owner.host
        return try statements("recover stale trials") { sql in
            try pids.flatMap { pid in
                try sql.rows("""
                    UPDATE trials SET state = 'stale', error = \("stale: process \(pid) on \(host) no longer exists")
                    WHERE study_id = \(studyID) AND state = 'running' AND host = \(host) AND pid = \(pid)
                    RETURNING \(unescaped: Self.trialColumns)
                    """).map(Self.trial)
            }
        }
    }

    public func finishTrial(id: Int64, state: TrialState, metrics: [String: Double], integerMetrics: Set<String>,
                            value: Double?, error: String?, now: Date) throws(StoreError) -> Trial {
        precondition(state.isFinished, "finishTrial needs a final state, not \(state)")
        let metricsJSON = MetricsJSON.encode(metrics, integers: integerMetrics)
        heartbeats.release(id)
        return try statements("finish the trial with id \(id)") { sql in
            // A repeated finish (the first commit's acknowledgement was lost) finds its own
            // result and succeeds; any other finished trial is never rewritten.
            if let row = try sql.row("""
                UPDATE trials SET state = \(state.rawValue), metrics = \(metricsJSON), value = \(value), error = \(error),
                                  finished_at = \(now), heartbeat_at = \(now)
                WHERE id = \(id) AND (state IN ('running', 'stale') OR (state = \(state.rawValue) AND finished_at = \(now)))
                RETURNING \(unescaped: Self.trialColumns)
                """) {
                return try Self.trial(row)
            }
            guard let row = try sql.row("SELECT \(unescaped: Self.trialColumns) FROM trials WHERE id = \(id)") else {
                throw StoreError.trialNotFound(id: id)
            }
            throw StoreError.trialAlreadyFinished(id: id, state: try Self.trial(row).state)
        }
    }

    public func recordTrial(studyID: Int64, params: [String: JSONValue], state: TrialState, metrics: [String: Double],
                            value: Double?, error: String?, seed: Int?, now: Date) throws(StoreError) -> Trial {
        precondition(state.isFinished, "recordTrial needs a final state, not \(state)")
        let paramsJSON = try JSONText.encode(params, column: "trials.params")
        let metricsJSON = try JSONText.encode(metrics, column: "trials.metrics")
        let token = UUID()
        let owner = self.owner
        return try transaction("record a trial") { sql in
            if let mine = try sql.row("SELECT \(unescaped: Self.trialColumns) FROM trials WHERE token = \(token)") { return try Self.trial(mine) }
            return try Self.insertTrial(sql, token: token, studyID: studyID, number: try Self.takeNumbers(sql, studyID), paramsJSON: paramsJSON, state: state,
                                        metricsJSON: metricsJSON, value: value, error: error, seed: seed,
                                        started: now, finished: now, owner: owner)
        }
    }

    public func recordTrials(studyID: Int64, _ trials: [(params: [String: JSONValue], metrics: [String: Double], value: Double?)],
                             state: TrialState, start: Date, spacing: Double) throws(StoreError) {
        var rows: [(String, String, Double?, Date)] = []
        for (i, t) in trials.enumerated() {
            rows.append((try JSONText.encode(t.params, column: "trials.params"), try JSONText.encode(t.metrics, column: "trials.metrics"),
                         t.value, start.addingTimeInterval(Double(i) * spacing)))
        }
        let token = UUID()
        let owner = self.owner
        try transaction("record \(trials.count) trials") { sql in
            // The first trial carries the batch's token: a repeated batch is found by it.
            if try sql.row("SELECT id FROM trials WHERE token = \(token)") != nil { return }
            var next = try Self.takeNumbers(sql, studyID, count: rows.count)
            for (i, (params, metrics, value, started)) in rows.enumerated() {
                let finished = started.addingTimeInterval(spacing / 2)
                try sql.execute("""
                    INSERT INTO trials (study_id, number, params, state, metrics, value, started_at, finished_at, heartbeat_at,
                                        pid, host, token)
                    VALUES (\(studyID), \(next), \(params), \(state.rawValue), \(metrics), \(value), \(started), \(finished),
                            \(finished), \(owner.pid), \(owner.host), \(i == 0 ? token : nil))
                    """)
                next += 1
            }
        }
    }

    public func report(trialID: Int64, step: Int, value: Double, now: Date) throws(StoreError) {
        try statements("report step \(step) of the trial with id \(trialID)") { sql in
            // One statement: the heartbeat and the report, or neither when there is no such trial.
            let changed = try sql.execute("""
                WITH beat AS (UPDATE trials SET heartbeat_at = \(now) WHERE id = \(trialID) RETURNING id)
                INSERT INTO trial_reports (trial_id, step, value, reported_at) SELECT id, \(step), \(value), \(now) FROM beat
                ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value, reported_at = excluded.reported_at
                """)
            if changed == 0 { throw StoreError.trialNotFound(id: trialID) }
        }
    }

    public func heartbeat(trialID: Int64, now: Date) throws(StoreError) {
        try statements("renew the heartbeat of the trial with id \(trialID)") { sql in
            if try sql.execute("UPDATE trials SET heartbeat_at = \(now) WHERE id = \(trialID)") == 0 {
                throw StoreError.trialNotFound(id: trialID)
            }
        }
    }

    @discardableResult
    public func recoverStaleTrials(studyID: Int64?, now: Date) throws(StoreError) -> [Trial] {
        let (lease, host) = (options.trialLease, owner.host)
        return try statements("recover stale trials") { sql in
            try Self.markOrphansStale(sql, studyID: studyID, now: now, lease: lease, host: host)
        }
    }

    /// Inside a transaction: marks the orphaned `running` trials of a study (or all) `stale`
    /// (see `Trial.orphanReason`).
    @discardableResult
    static func markOrphansStale(_ sql: PostgresSQL, studyID: Int64?, now: Date, lease: Double, host: String) throws -> [Trial] {
        let running = try sql.rows("""
            SELECT \(unescaped: trialColumns) FROM trials
            WHERE state = 'running' AND (\(studyID)::bigint IS NULL OR study_id = \(studyID)) ORDER BY id
            """).map(trial)
        var marked: [Trial] = []
        for var trial in running {
            guard let reason = trial.orphanReason(now: now, lease: lease, host: host) else { continue }
            try sql.execute("UPDATE trials SET state = 'stale', error = \(reason) WHERE id = \(trial.id) AND state = 'running'")
            trial.state = .stale
            trial.error = reason
            marked.append(trial)
        }
        return marked
    }

    public func trial(id: Int64) throws(StoreError) -> Trial? {
        try statements("read the trial with id \(id)") { sql in
            try sql.row("SELECT \(unescaped: Self.trialColumns) FROM trials WHERE id = \(id)").map(Self.trial)
        }
    }

    public func trials(studyID: Int64, states: Set<TrialState>?) throws(StoreError) -> [Trial] {
        let names = states.map { $0.map(\.rawValue).sorted() }
        return try statements("list trials") { sql in
            try sql.rows("""
                SELECT \(unescaped: Self.trialColumns) FROM trials
                WHERE study_id = \(studyID) AND (\(names == nil) OR state = ANY(\(names ?? [])))
                ORDER BY number
                """).map(Self.trial)
        }
    }

    public func trials(studyID: Int64, fromNumber number: Int) throws(StoreError) -> [Trial] {
        try statements("list trials") { sql in
            try sql.rows("""
                SELECT \(unescaped: Self.trialColumns) FROM trials WHERE study_id = \(studyID) AND number >= \(number) ORDER BY number
                """).map(Self.trial)
        }
    }

    private static func direction(_ sql: PostgresSQL, _ studyID: Int64) throws -> String {
        guard let text = try sql.row("SELECT goal_direction FROM studies WHERE id = \(studyID)")?["goal_direction"].decode(String.self) else {
            throw StoreError.studyNotFound("id \(studyID)")
        }
        return text == "maximize" ? "DESC" : "ASC"
    }

    public func bestTrial(studyID: Int64) throws(StoreError) -> Trial? {
        try statements("find the best trial") { sql in
            let order = try Self.direction(sql, studyID)
            return try sql.row("""
                SELECT \(unescaped: Self.trialColumns) FROM trials
                WHERE study_id = \(studyID) AND state = 'complete' AND value IS NOT NULL
                ORDER BY value \(unescaped: order), number LIMIT 1
                """).map(Self.trial)
        }
    }

    public func bestConfiguration(studyID: Int64) throws(StoreError) -> (trial: Trial, mean: Double, runs: Int)? {
        try statements("find the best configuration") { sql -> (trial: Trial, mean: Double, runs: Int)? in
            let order = try Self.direction(sql, studyID)
            guard let row = try sql.row("""
                WITH runs AS (
                  SELECT coalesce(repeat_of, number) AS config, value FROM trials
                  WHERE study_id = \(studyID) AND state = 'complete' AND value IS NOT NULL),
                groups AS (SELECT config, avg(value) AS mean, count(*) AS runs FROM runs GROUP BY config)
                SELECT g.config, g.mean, g.runs FROM groups g
                WHERE g.runs > 1 OR NOT EXISTS (SELECT 1 FROM groups WHERE runs > 1)
                ORDER BY g.mean \(unescaped: order), g.config LIMIT 1
                """) else { return nil }
            let config = try row["config"].decode(Int.self)
            guard let trial = try sql.row("""
                SELECT \(unescaped: Self.trialColumns) FROM trials WHERE study_id = \(studyID) AND number = \(config)
                """).map(Self.trial) else { return nil }
            return (trial, try row["mean"].decode(Double.self), try row["runs"].decode(Int.self))
        }
    }

    public func reports(trialID: Int64) throws(StoreError) -> [TrialReport] {
        try reports(trialIDs: [trialID])
    }

    public func reports(trialIDs: [Int64]) throws(StoreError) -> [TrialReport] {
        try statements("read reports") { sql in
            try sql.rows("""
                SELECT trial_id, step, value, reported_at FROM trial_reports WHERE trial_id = ANY(\(trialIDs)) ORDER BY trial_id, step
                """).map(Self.report)
        }
    }

    public func reports(studyID: Int64) throws(StoreError) -> [TrialReport] {
        try statements("read reports") { sql in
            try sql.rows("""
                SELECT r.trial_id, r.step, r.value, r.reported_at FROM trial_reports r JOIN trials t ON t.id = r.trial_id
                WHERE t.study_id = \(studyID) ORDER BY r.trial_id, r.step
                """).map(Self.report)
        }
    }
}
