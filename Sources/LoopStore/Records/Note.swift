import Foundation
import LoopSupport

/// A remembered finding (free text with tags) or a key/value memory (one row of `notes`).
public struct Note: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var text: String
    public var tags: [String]
    /// Set for key/value memory (unique); `nil` for free-text notes.
    public var key: String?
    public var value: JSONValue?
    public var studyID: Int64?
    public var trialID: Int64?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, text: String, tags: [String], key: String? = nil, value: JSONValue? = nil, studyID: Int64? = nil, trialID: Int64? = nil, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.text = text
        self.tags = tags
        self.key = key
        self.value = value
        self.studyID = studyID
        self.trialID = trialID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension Note: StoreRecord {
    public static let databaseTableName = "notes"
    enum CodingKeys: String, CodingKey {
        case id, text, tags, key, value
        case studyID = "study_id", trialID = "trial_id", createdAt = "created_at", updatedAt = "updated_at"
    }
}
