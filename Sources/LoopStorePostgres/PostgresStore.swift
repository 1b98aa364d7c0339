import Foundation
import LoopStore
import LoopSupport
import PostgresNIO

/// The project store on a PostgreSQL server: what lets workers on many machines share studies.
///
/// Every operation is one transaction on the process's connection (``PostgresSession``), which
/// reconnects when the server restarts. Trial numbers are taken under a lock on the study's row
/// (`SELECT … FOR UPDATE`), so claims are atomic across every process of every machine. Artifacts
/// keep their bytes in the database (deduplicated by hash) unless the URL names a shared
/// directory (`?artifacts=/shared/dir`); `recall` uses PostgreSQL's full-text search.
public final class PostgresStore: StoreBackend {
    public let location: String
    public let owner: ProcessOwner
    public let options: Store.Options
    let session: PostgresSession
    let heartbeats: Heartbeats
    /// Files for artifacts: the shared directory of `?artifacts=`, else a local cache of the
    /// artifacts read from the database (for loaders that need a file).
    let artifactFiles: ArtifactFiles
    let artifactsInDatabase: Bool

    /// Makes `postgresql://` and `postgres://` store locations open a `PostgresStore`.
    public static func register() {
        for scheme in PostgresLocation.schemes {
            Store.register(scheme: scheme) { url, options throws(StoreError) in try PostgresStore(url: url, options: options) }
        }
    }

    /// Connects, then checks the store's schema (creating it in an empty database unless
    /// read-only). A wrong URL, password or database, or a schema of another Looplab version, is
    /// an error before anything is written.
    public init(url: String, options: Store.Options = Store.Options(), owner: ProcessOwner = .current) throws(StoreError) {
        let parsed = try PostgresLocation(url)
        location = parsed.display
        self.owner = owner
        self.options = options
        // A server restart takes seconds; a study should wait it out rather than fail. At least
        // the busy timeout, which is how long a SQLite store would wait for a lock.
        session = PostgresSession(location: parsed, readOnly: options.readOnly, reconnectWindow: max(60, options.busyTimeout))
        if let directory = parsed.artifactsDirectory {
            artifactFiles = ArtifactFiles(storeDirectory: URL(fileURLWithPath: directory, isDirectory: true))
            artifactsInDatabase = false
        } else {
            let cache = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-artifacts-\(getuid())", isDirectory: true)
            artifactFiles = ArtifactFiles(storeDirectory: cache)
            artifactsInDatabase = true
        }
        let session = self.session
        heartbeats = Heartbeats(lease: options.trialLease) { ids, now in
            _ = try? session.transaction("renew heartbeats", atomic: false) { sql in
                try sql.execute("UPDATE trials SET heartbeat_at = \(now) WHERE id = ANY(\(ids)) AND state = 'running'")
            }
        }
        try prepareSchema(schema: parsed.schema)
    }

    deinit { heartbeats.stop() }

    private func prepareSchema(schema: String) throws(StoreError) {
        let readOnly = options.readOnly
        let location = self.location
        try session.transaction("check the store's schema", retrying: false) { sql throws -> Void in
            if !readOnly { try sql.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.creationLock))") }
            let exists = try sql.row("SELECT to_regclass(\(schema + ".schema_versions"))::text AS t")?["t"].decode(String?.self) != nil
            if !exists {
                if readOnly {
                    throw StoreError.serverRefused(location: location, reason: "the database holds no Looplab store (schema \(schema)); run a study on it first")
                }
                for statement in PostgresSchema.statements(schema: schema) { try sql.execute(PostgresQuery(unsafeSQL: statement)) }
                return
            }
            let found = try sql.rows("SELECT version FROM \(unescaped: schema).schema_versions ORDER BY version").map { try $0["version"].decode(String.self) }
            let unknown = found.filter { !PostgresSchema.versions.contains($0) }
            if !unknown.isEmpty { throw StoreError.schemaTooNew(path: location, unknownMigrations: unknown) }
            if found != PostgresSchema.versions {
                throw StoreError.schemaTooOld(location: location, found: found.last ?? "none",
                                              expected: PostgresSchema.versions.last!)
            }
        }
    }

    public func close() throws(StoreError) {
        heartbeats.stop()
        session.close()
    }

    /// Checks what the database itself does not: every trial's JSON reads back, numbers are
    /// dense per study, and every artifact kept in the database has its bytes.
    public func integrityCheck() throws(StoreError) -> [String] {
        try session.transaction("check integrity") { sql -> [String] in
            var problems: [String] = []
            for row in try sql.rows("SELECT id FROM trials WHERE params::jsonb IS NULL OR metrics::jsonb IS NULL") {
                problems.append("trial \(try row["id"].decode(Int64.self)) has invalid JSON")
            }
            for row in try sql.rows("""
                SELECT s.name, count(*) AS n, max(t.number) AS top FROM trials t JOIN studies s ON s.id = t.study_id
                GROUP BY s.name HAVING max(t.number) + 1 <> count(*)
                """) {
                problems.append("study \(try row["name"].decode(String.self)): \(try row["n"].decode(Int.self)) trials numbered up to \(try row["top"].decode(Int.self))")
            }
            if artifactsInDatabase {
                for row in try sql.rows("SELECT a.sha256 FROM artifacts a LEFT JOIN artifact_blobs b USING (sha256) WHERE b.sha256 IS NULL") {
                    problems.append("artifact \(try row["sha256"].decode(String.self)) has no bytes")
                }
            }
            return problems.isEmpty ? ["ok"] : problems
        }
    }

    public func schemaVersions() throws(StoreError) -> [String] {
        try session.transaction("read the schema version") { sql in
            try sql.rows("SELECT version FROM schema_versions ORDER BY version").map { try $0["version"].decode(String.self) }
        }
    }

    /// Runs `body` as one transaction; errors become ``StoreError``s.
    @discardableResult
    func transaction<T>(_ operation: String, _ body: (PostgresSQL) throws -> T) throws(StoreError) -> T {
        try session.transaction(operation, body)
    }

    /// Runs `body`'s statements each as its own transaction: for one statement, or for reads.
    @discardableResult
    func statements<T>(_ operation: String, _ body: (PostgresSQL) throws -> T) throws(StoreError) -> T {
        try session.transaction(operation, atomic: false, body)
    }
}

// MARK: - Rows to records

extension PostgresStore {
    static let trialColumns = """
        id, study_id, number, params, state, metrics, value, error, seed, started_at, finished_at, heartbeat_at, \
        pid, host, repeat_of, repeat_index
        """

    static func trial(_ row: PostgresRandomAccessRow) throws -> Trial {
        let paramsText = try row["params"].decode(String.self)
        guard case .object(let params)? = JSONValue(json: paramsText) else {
            throw StoreError.invalidJSON(column: "trials.params", reason: "not a JSON object: \(paramsText.prefix(80))")
        }
        let metricsText = try row["metrics"].decode(String.self)
        guard let metrics = JSONValue(json: metricsText) else {
            throw StoreError.invalidJSON(column: "trials.metrics", reason: "not JSON: \(metricsText.prefix(80))")
        }
        let stateText = try row["state"].decode(String.self)
        guard let state = TrialState(rawValue: stateText) else {
            throw StoreError.invalidJSON(column: "trials.state", reason: "unknown state \(stateText)")
        }
        return Trial(id: try row["id"].decode(Int64.self), studyID: try row["study_id"].decode(Int64.self),
                     number: try row["number"].decode(Int.self), params: params, state: state,
                     metrics: metrics.metricNumbers, integerMetrics: metrics.integerFields,
                     value: try row["value"].decode(Double?.self), error: try row["error"].decode(String?.self),
                     seed: try row["seed"].decode(Int?.self), startedAt: try row["started_at"].decode(Date.self),
                     finishedAt: try row["finished_at"].decode(Date?.self), heartbeatAt: try row["heartbeat_at"].decode(Date.self),
                     pid: try row["pid"].decode(Int32?.self), host: try row["host"].decode(String?.self),
                     repeatOf: try row["repeat_of"].decode(Int?.self), repeatIndex: try row["repeat_index"].decode(Int.self))
    }

    static let studyColumns = """
        id, name, description, space, goal_metric, goal_direction, strategy, seed, settings, stop_reason, created_at, updated_at
        """

    static func study(_ row: PostgresRandomAccessRow) throws -> Study {
        let direction = try row["goal_direction"].decode(String.self)
        return Study(id: try row["id"].decode(Int64.self), name: try row["name"].decode(String.self),
                     description: try row["description"].decode(String.self),
                     space: try json(row, "space"), goalMetric: try row["goal_metric"].decode(String?.self),
                     goalDirection: GoalDirection(rawValue: direction) ?? .minimize, strategy: try row["strategy"].decode(String.self),
                     seed: try row["seed"].decode(Int?.self), settings: try json(row, "settings"),
                     stopReason: try row["stop_reason"].decode(String?.self), createdAt: try row["created_at"].decode(Date.self),
                     updatedAt: try row["updated_at"].decode(Date.self))
    }

    static let noteColumns = "id, text, tags, key, value, study_id, trial_id, created_at, updated_at"

    static func note(_ row: PostgresRandomAccessRow) throws -> Note {
        let tagsText = try row["tags"].decode(String.self)
        let tags = (try? JSONText.decoder.decode([String].self, from: Data(tagsText.utf8))) ?? []
        return Note(id: try row["id"].decode(Int64.self), text: try row["text"].decode(String.self), tags: tags,
                    key: try row["key"].decode(String?.self),
                    value: try row["value"].decode(String?.self).flatMap { JSONValue(json: $0) },
                    studyID: try row["study_id"].decode(Int64?.self), trialID: try row["trial_id"].decode(Int64?.self),
                    createdAt: try row["created_at"].decode(Date.self), updatedAt: try row["updated_at"].decode(Date.self))
    }

    static let modelColumns = "id, name, version, status, metrics, artifact_sha256, trial_id, gate, created_at"

    static func model(_ row: PostgresRandomAccessRow) throws -> ModelVersion {
        let status = try row["status"].decode(String.self)
        return ModelVersion(id: try row["id"].decode(Int64.self), name: try row["name"].decode(String.self),
                            version: try row["version"].decode(Int.self), status: ModelStatus(rawValue: status) ?? .rejected,
                            metrics: try json(row, "metrics").metricNumbers, artifactSHA256: try row["artifact_sha256"].decode(String?.self),
                            trialID: try row["trial_id"].decode(Int64?.self), gate: try json(row, "gate"),
                            createdAt: try row["created_at"].decode(Date.self))
    }

    static func artifact(_ row: PostgresRandomAccessRow) throws -> Artifact {
        Artifact(sha256: try row["sha256"].decode(String.self), kind: try row["kind"].decode(String.self),
                 size: try row["size"].decode(Int64.self), path: try row["path"].decode(String.self),
                 name: try row["name"].decode(String?.self), createdAt: try row["created_at"].decode(Date.self))
    }

    static func skill(_ row: PostgresRandomAccessRow) throws -> InstalledSkill {
        InstalledSkill(name: try row["name"].decode(String.self), version: try row["version"].decode(String.self),
                       sha256: try row["sha256"].decode(String.self), source: try row["source"].decode(String.self),
                       permissions: try json(row, "permissions"), installedAt: try row["installed_at"].decode(Date.self))
    }

    static func report(_ row: PostgresRandomAccessRow) throws -> TrialReport {
        TrialReport(trialID: try row["trial_id"].decode(Int64.self), step: try row["step"].decode(Int.self),
                    value: try row["value"].decode(Double?.self), reportedAt: try row["reported_at"].decode(Date.self))
    }

    private static func json(_ row: PostgresRandomAccessRow, _ column: String) throws -> JSONValue {
        let text = try row[column].decode(String.self)
        guard let value = JSONValue(json: text) else { throw StoreError.invalidJSON(column: column, reason: "not JSON: \(text.prefix(80))") }
        return value
    }
}
