import Foundation
import GRDB
import LoopSupport

extension SQLiteStore {
    /// Registers a new version of a model with its gate's verdict: `promoted` when the gate
    /// passed (it becomes the champion), `rejected` otherwise (kept as evidence).
    ///
    /// The gate itself is the research engine's business; the store records what it decided.
    @discardableResult
    public func registerModel(_ name: String, passedGate: Bool, gate: JSONValue = [:],
                              metrics: [String: Double] = [:], artifactSHA256: String? = nil,
                              trialID: Int64? = nil, now: Date = Date()) throws(StoreError) -> ModelVersion {
        let metricsJSON = try JSONText.encode(metrics, column: "models.metrics")
        let gateJSON = try JSONText.encode(gate, column: "models.gate")
        let status: ModelStatus = passedGate ? .promoted : .rejected
        return try write("register model \(name)") { db in
            if let sha = artifactSHA256,
               try !Bool(exists: db, sql: "SELECT 1 FROM artifacts WHERE sha256 = ?", arguments: [sha]) {
                throw StoreError.artifactMissing(sha256: sha)
            }
            try db.execute(sql: """
                INSERT INTO models (name, version, status, metrics, artifact_sha256, trial_id, gate, created_at)
                VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM models WHERE name = ?), ?, ?, ?, ?, ?, ?)
                """, arguments: [name, name, status, metricsJSON, artifactSHA256, trialID, gateJSON, now])
            return try ModelVersion.fetchOne(db, sql: "SELECT * FROM models WHERE id = ?",
                                             arguments: [db.lastInsertedRowID])!
        }
    }

    /// The champion: the newest `promoted` version of the model, or `nil`.
    public func champion(model name: String) throws(StoreError) -> ModelVersion? {
        try read("find the champion of \(name)") { db in try SQLiteStore.champion(db, name) }
    }

    /// Every version of the model (promoted, rejected and rolled back), oldest first.
    public func versions(model name: String) throws(StoreError) -> [ModelVersion] {
        try read("list versions of \(name)") { db in
            try ModelVersion.fetchAll(db, sql: "SELECT * FROM models WHERE name = ? ORDER BY version",
                                      arguments: [name])
        }
    }

    /// One version of a model, or `nil`.
    public func version(model name: String, _ version: Int) throws(StoreError) -> ModelVersion? {
        try read("read \(name) version \(version)") { db in
            try ModelVersion.fetchOne(db, sql: "SELECT * FROM models WHERE name = ? AND version = ?", arguments: [name, version])
        }
    }

    /// The names in the registry, sorted.
    public func modelNames() throws(StoreError) -> [String] {
        try read("list models") { db in try String.fetchAll(db, sql: "SELECT DISTINCT name FROM models ORDER BY name") }
    }

    /// Retires the current champion (`rolled_back`); the previous promoted version, if any,
    /// becomes champion and is returned.
    @discardableResult
    public func rollback(model name: String) throws(StoreError) -> ModelVersion? {
        try write("roll back \(name)") { db in
            guard let current = try SQLiteStore.champion(db, name) else { throw StoreError.modelNotFound(name: name) }
            try db.execute(sql: "UPDATE models SET status = 'rolled_back' WHERE id = ?", arguments: [current.id])
            return try SQLiteStore.champion(db, name)
        }
    }

    static func champion(_ db: Database, _ name: String) throws -> ModelVersion? {
        try ModelVersion.fetchOne(db, sql: """
            SELECT * FROM models WHERE name = ? AND status = 'promoted' ORDER BY version DESC LIMIT 1
            """, arguments: [name])
    }
}
