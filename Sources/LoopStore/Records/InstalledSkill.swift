import Foundation
import LoopSupport

/// A skill or skill pack installed into this project (one row of `skills`).
public struct InstalledSkill: Sendable, Hashable {
    public var name: String
    public var version: String
    /// SHA-256 of the installed archive or source, for reproducible installs.
    public var sha256: String
    /// Where it came from: a path, an archive or a git URL.
    public var source: String
    /// The capabilities granted at install (`exec`, `write`, `network`), as JSON.
    public var permissions: JSONValue
    public var installedAt: Date

    public init(name: String, version: String, sha256: String, source: String,
                permissions: JSONValue = [:], installedAt: Date = Date()) {
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.source = source
        self.permissions = permissions
        self.installedAt = installedAt
    }
}

extension InstalledSkill: StoreRecord {
    public static let databaseTableName = "skills"
    enum CodingKeys: String, CodingKey {
        case name, version, sha256, source, permissions
        case installedAt = "installed_at"
    }
}
