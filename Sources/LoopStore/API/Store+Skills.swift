import Foundation
import GRDB

extension Store {
    /// Records an installed skill or pack (replacing the same name and version).
    public func recordInstall(_ skill: InstalledSkill) throws(StoreError) {
        let permissions = try JSONText.encode(skill.permissions, column: "skills.permissions")
        try write("record the install of \(skill.name)") { db in
            try db.execute(sql: """
                INSERT INTO skills (name, version, sha256, source, permissions, installed_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (name, version) DO UPDATE SET sha256 = excluded.sha256, source = excluded.source,
                  permissions = excluded.permissions, installed_at = excluded.installed_at
                """, arguments: [skill.name, skill.version, skill.sha256, skill.source, permissions, skill.installedAt])
        }
    }

    /// Installed skills and packs, by name then install order.
    public func installedSkills() throws(StoreError) -> [InstalledSkill] {
        try read("list installed skills") { db in
            try InstalledSkill.fetchAll(db, sql: "SELECT * FROM skills ORDER BY name, id")
        }
    }

    /// Forgets an install (all versions when `version` is nil). Returns how many rows went.
    @discardableResult
    public func removeInstall(name: String, version: String? = nil) throws(StoreError) -> Int {
        try write("remove the install of \(name)") { db in
            try db.execute(sql: "DELETE FROM skills WHERE name = ?1 AND (?2 IS NULL OR version = ?2)",
                           arguments: [name, version])
            return db.changesCount
        }
    }
}
