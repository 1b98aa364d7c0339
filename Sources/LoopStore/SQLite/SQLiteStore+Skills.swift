import Foundation
import GRDB

extension SQLiteStore {
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


extension SQLiteStore {
    /// Records that the skill with this source hash ran during the trial (once per trial).
    public func recordSkillUse(skill: String, sha256: String, trialID: Int64, now: Date = Date()) throws(StoreError) {
        try write("record a use of skill \(skill)") { db in
            try db.execute(sql: "INSERT OR IGNORE INTO skill_uses (skill, sha256, trial_id, used_at) VALUES (?, ?, ?, ?)",
                           arguments: [skill, sha256, trialID, now])
        }
    }

    /// The trials a skill ran in, any version (`sha256` nil) or one, oldest first.
    public func skillUses(skill: String, sha256: String? = nil) throws(StoreError) -> [SkillUse] {
        try read("read the uses of skill \(skill)") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.*, s.name AS study_name FROM skill_uses u
                JOIN trials t ON t.id = u.trial_id JOIN studies s ON s.id = t.study_id
                WHERE u.skill = ?1 AND (?2 IS NULL OR u.sha256 = ?2) ORDER BY u.used_at, t.id
                """, arguments: [skill, sha256])
            return try rows.map { row in
                let trial = try Trial(row: row)
                return SkillUse(study: row["study_name"], trialNumber: trial.number, state: trial.state, metrics: trial.metrics)
            }
        }
    }
}
