import Foundation
import GRDB
import LoopSupport

/// Whether a registered model version is (or was) in service.
public enum ModelStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Passed its gate; the newest promoted version is the champion.
    case promoted
    /// Failed its gate; kept as evidence, never served.
    case rejected
    /// Was champion until ``Store/rollback(model:)`` retired it.
    case rolledBack = "rolled_back"
}

/// One version of a named model in the registry (one row of `models`).
public struct ModelVersion: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    /// 1, 2, 3, ... per name.
    public var version: Int
    public var status: ModelStatus
    public var metrics: [String: Double]
    /// The checkpoint in the artifact store, if any.
    public var artifactSHA256: String?
    public var trialID: Int64?
    /// What the promotion gate decided and why, as JSON (`{"passed": true, "reason": ...}`).
    public var gate: JSONValue
    public var createdAt: Date

    public init(id: Int64, name: String, version: Int, status: ModelStatus, metrics: [String: Double], artifactSHA256: String? = nil, trialID: Int64? = nil, gate: JSONValue, createdAt: Date) {
        self.id = id
        self.name = name
        self.version = version
        self.status = status
        self.metrics = metrics
        self.artifactSHA256 = artifactSHA256
        self.trialID = trialID
        self.gate = gate
        self.createdAt = createdAt
    }
}

extension ModelVersion: StoreRecord {
    public static let databaseTableName = "models"
    enum CodingKeys: String, CodingKey {
        case id, name, version, status, metrics, gate
        case artifactSHA256 = "artifact_sha256", trialID = "trial_id", createdAt = "created_at"
    }
}
