import Foundation

/// A content-addressed file beside the database (one row of `artifacts`).
public struct Artifact: Sendable, Hashable {
    /// Lower-case hex SHA-256 of the content; also the file's name.
    public var sha256: String
    /// What it is: `checkpoint`, `log`, `output`, ...
    public var kind: String
    public var size: Int64
    /// Relative to the store directory: `artifacts/ab/cdef...`.
    public var path: String
    /// A human name (the original file name), if any.
    public var name: String?
    public var createdAt: Date

    public init(sha256: String, kind: String, size: Int64, path: String, name: String? = nil, createdAt: Date) {
        self.sha256 = sha256
        self.kind = kind
        self.size = size
        self.path = path
        self.name = name
        self.createdAt = createdAt
    }
}

extension Artifact: StoreRecord {
    public static let databaseTableName = "artifacts"
    enum CodingKeys: String, CodingKey {
        case sha256, kind, size, path, name
        case createdAt = "created_at"
    }
}
