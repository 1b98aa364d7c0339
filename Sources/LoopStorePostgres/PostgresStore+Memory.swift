import Foundation
import LoopStore
import LoopSupport
import PostgresNIO

extension PostgresStore {
    // MARK: Notes and memory

    public func remember(_ text: String, tags: [String], studyID: Int64?, trialID: Int64?, now: Date) throws(StoreError) -> Note {
        let tagsJSON = try JSONText.encode(tags, column: "notes.tags")
        let token = UUID()
        return try transaction("remember a note") { sql in
            if let row = try sql.row("SELECT \(unescaped: Self.noteColumns) FROM notes WHERE token = \(token)") { return try Self.note(row) }
            guard let row = try sql.row("""
                INSERT INTO notes (text, tags, study_id, trial_id, created_at, updated_at, token)
                VALUES (\(text), \(tagsJSON), \(studyID), \(trialID), \(now), \(now), \(token))
                RETURNING \(unescaped: Self.noteColumns)
                """) else { throw StoreError.invalidJSON(column: "notes", reason: "insert returned nothing") }
            return try Self.note(row)
        }
    }

    public func setMemory(_ key: String, to value: JSONValue, tags: [String], now: Date) throws(StoreError) -> Note {
        let valueJSON = try JSONText.encode(value, column: "notes.value")
        let tagsJSON = try JSONText.encode(tags, column: "notes.tags")
        return try statements("remember \(key)") { sql in
            guard let row = try sql.row("""
                INSERT INTO notes (key, value, tags, created_at, updated_at) VALUES (\(key), \(valueJSON), \(tagsJSON), \(now), \(now))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, tags = excluded.tags, updated_at = excluded.updated_at
                RETURNING \(unescaped: Self.noteColumns)
                """) else { throw StoreError.invalidJSON(column: "notes", reason: "insert returned nothing") }
            return try Self.note(row)
        }
    }

    public func memory(_ key: String) throws(StoreError) -> JSONValue? {
        try statements("recall \(key)") { sql in
            try sql.row("SELECT \(unescaped: Self.noteColumns) FROM notes WHERE key = \(key)").map(Self.note)?.value
        }
    }

    public func notes(tag: String?, limit: Int) throws(StoreError) -> [Note] {
        try statements("list notes") { sql in
            try sql.rows("""
                SELECT \(unescaped: Self.noteColumns) FROM notes
                WHERE \(tag)::text IS NULL OR tags::jsonb ? \(tag)::text
                ORDER BY updated_at DESC, id DESC LIMIT \(max(0, limit))
                """).map(Self.note)
        }
    }

    public func notes(studyID: Int64) throws(StoreError) -> [Note] {
        try statements("list the notes of study \(studyID)") { sql in
            try sql.rows("SELECT \(unescaped: Self.noteColumns) FROM notes WHERE study_id = \(studyID) ORDER BY created_at, id").map(Self.note)
        }
    }

    public func note(id: Int64) throws(StoreError) -> Note? {
        try statements("read note \(id)") { sql in
            try sql.row("SELECT \(unescaped: Self.noteColumns) FROM notes WHERE id = \(id)").map(Self.note)
        }
    }

    public func countNotes(tag: String) throws(StoreError) -> Int {
        try statements("count notes") { sql in
            try sql.row("SELECT count(*) AS n FROM notes WHERE tags::jsonb ? \(tag)::text")?["n"].decode(Int.self) ?? 0
        }
    }

    public func forget(noteID: Int64) throws(StoreError) -> Bool {
        try statements("forget note \(noteID)") { sql in
            try sql.execute("DELETE FROM notes WHERE id = \(noteID)") > 0
        }
    }

    /// Full-text search with PostgreSQL's `tsvector`s: notes, then studies, then trials, each
    /// kind by `ts_rank`; the query's words are matched with English stemming, any of them.
    public func recall(_ query: String, limit: Int) throws(StoreError) -> [RecallHit] {
        // Words are letters, digits and _ only, so the tsquery text cannot carry tsquery syntax.
        let words = RecallHit.words(query)
        if words.isEmpty { return [] }
        let tsquery = words.map { "'\($0)'" }.joined(separator: " | ")
        let headline = "StartSel=[, StopSel=], MaxWords=24, MinWords=6, FragmentDelimiter=…, MaxFragments=2"
        return try statements("recall \(query)") { sql in
            let rows = try sql.rows("""
                WITH q AS (SELECT to_tsquery('english', \(tsquery)) AS q)
                SELECT kind, ref, title, snippet, rank FROM (
                  SELECT 'note' AS kind, 0 AS ord, n.id AS ref, coalesce(n.key, '') AS title,
                         ts_headline('english', n.text || ' ' || n.tags || coalesce(' ' || n.value, ''), q.q, \(headline)) AS snippet,
                         ts_rank(n.search, q.q) AS rank
                  FROM notes n, q WHERE n.search @@ q.q
                  UNION ALL
                  SELECT 'study', 1, s.id, s.name,
                         ts_headline('english', s.description || ' ' || coalesce(s.goal_metric, '') || ' ' || s.strategy
                                     || coalesce(' ' || s.stop_reason, ''), q.q, \(headline)),
                         ts_rank(s.search, q.q)
                  FROM studies s, q WHERE s.search @@ q.q
                  UNION ALL
                  SELECT 'trial', 2, t.id, s.name || ' #' || t.number,
                         ts_headline('english', t.state || ' ' || coalesce((SELECT string_agg(value, ' ') FROM jsonb_each_text(t.params::jsonb)), '')
                                     || coalesce(' ' || t.error, ''), q.q, \(headline)),
                         ts_rank(t.search, q.q)
                  FROM trials t JOIN studies s ON s.id = t.study_id, q WHERE t.search @@ q.q
                ) hits ORDER BY ord, rank DESC, ref LIMIT \(max(0, limit))
                """)
            return try rows.compactMap { row in
                guard let kind = RecallKind(rawValue: try row["kind"].decode(String.self)) else { return nil }
                return RecallHit(kind: kind, id: try row["ref"].decode(Int64.self), title: try row["title"].decode(String.self),
                                 snippet: try row["snippet"].decode(String.self), score: Double(try row["rank"].decode(Float.self)))
            }
        }
    }

    // MARK: Registry

    public func registerModel(_ name: String, passedGate: Bool, gate: JSONValue, metrics: [String: Double],
                              artifactSHA256: String?, trialID: Int64?, now: Date) throws(StoreError) -> ModelVersion {
        let metricsJSON = try JSONText.encode(metrics, column: "models.metrics")
        let gateJSON = try JSONText.encode(gate, column: "models.gate")
        let status: ModelStatus = passedGate ? .promoted : .rejected
        let token = UUID()
        return try transaction("register model \(name)") { sql in
            if let row = try sql.row("SELECT \(unescaped: Self.modelColumns) FROM models WHERE token = \(token)") { return try Self.model(row) }
            if let sha = artifactSHA256, try sql.row("SELECT 1 AS one FROM artifacts WHERE sha256 = \(sha)") == nil {
                throw StoreError.artifactMissing(sha256: sha)
            }
            // Versions of one name are numbered under a lock on the name.
            try sql.execute("SELECT pg_advisory_xact_lock(hashtext('looplab.models.' || \(name)))")
            guard let row = try sql.row("""
                INSERT INTO models (name, version, status, metrics, artifact_sha256, trial_id, gate, created_at, token)
                VALUES (\(name), (SELECT coalesce(max(version), 0) + 1 FROM models WHERE name = \(name)), \(status.rawValue),
                        \(metricsJSON), \(artifactSHA256), \(trialID), \(gateJSON), \(now), \(token))
                RETURNING \(unescaped: Self.modelColumns)
                """) else { throw StoreError.modelNotFound(name: name) }
            return try Self.model(row)
        }
    }

    public func champion(model name: String) throws(StoreError) -> ModelVersion? {
        try statements("find the champion of \(name)") { sql in try Self.champion(sql, name) }
    }

    static func champion(_ sql: PostgresSQL, _ name: String) throws -> ModelVersion? {
        try sql.row("""
            SELECT \(unescaped: modelColumns) FROM models WHERE name = \(name) AND status = 'promoted' ORDER BY version DESC LIMIT 1
            """).map(model)
    }

    public func versions(model name: String) throws(StoreError) -> [ModelVersion] {
        try statements("list versions of \(name)") { sql in
            try sql.rows("SELECT \(unescaped: Self.modelColumns) FROM models WHERE name = \(name) ORDER BY version").map(Self.model)
        }
    }

    public func version(model name: String, _ version: Int) throws(StoreError) -> ModelVersion? {
        try statements("read \(name) version \(version)") { sql in
            try sql.row("SELECT \(unescaped: Self.modelColumns) FROM models WHERE name = \(name) AND version = \(version)").map(Self.model)
        }
    }

    public func modelNames() throws(StoreError) -> [String] {
        try statements("list models") { sql in
            try sql.rows("SELECT DISTINCT name FROM models ORDER BY name").map { try $0["name"].decode(String.self) }
        }
    }

    public func rollback(model name: String) throws(StoreError) -> ModelVersion? {
        try transaction("roll back \(name)") { sql in
            try sql.execute("SELECT pg_advisory_xact_lock(hashtext('looplab.models.' || \(name)))")
            guard let current = try Self.champion(sql, name) else { throw StoreError.modelNotFound(name: name) }
            try sql.execute("UPDATE models SET status = 'rolled_back' WHERE id = \(current.id)")
            return try Self.champion(sql, name)
        }
    }

    // MARK: Skills

    public func recordInstall(_ skill: InstalledSkill) throws(StoreError) {
        let permissions = try JSONText.encode(skill.permissions, column: "skills.permissions")
        try statements("record the install of \(skill.name)") { sql in
            try sql.execute("""
                INSERT INTO skills (name, version, sha256, source, permissions, installed_at)
                VALUES (\(skill.name), \(skill.version), \(skill.sha256), \(skill.source), \(permissions), \(skill.installedAt))
                ON CONFLICT (name, version) DO UPDATE SET sha256 = excluded.sha256, source = excluded.source,
                  permissions = excluded.permissions, installed_at = excluded.installed_at
                """)
        }
    }

    public func installedSkills() throws(StoreError) -> [InstalledSkill] {
        try statements("list installed skills") { sql in
            try sql.rows("SELECT name, version, sha256, source, permissions, installed_at FROM skills ORDER BY name, id").map(Self.skill)
        }
    }

    public func removeInstall(name: String, version: String?) throws(StoreError) -> Int {
        try statements("remove the install of \(name)") { sql in
            try sql.execute("DELETE FROM skills WHERE name = \(name) AND (\(version)::text IS NULL OR version = \(version)::text)")
        }
    }

    public func recordSkillUse(skill: String, sha256: String, trialID: Int64, now: Date) throws(StoreError) {
        try statements("record a use of skill \(skill)") { sql in
            try sql.execute("""
                INSERT INTO skill_uses (skill, sha256, trial_id, used_at) VALUES (\(skill), \(sha256), \(trialID), \(now))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    public func skillUses(skill: String, sha256: String?) throws(StoreError) -> [SkillUse] {
        try statements("read the uses of skill \(skill)") { sql in
            try sql.rows("""
                SELECT \(unescaped: Self.trialColumns.split(separator: ",").map { "t." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                       s.name AS study_name
                FROM skill_uses u JOIN trials t ON t.id = u.trial_id JOIN studies s ON s.id = t.study_id
                WHERE u.skill = \(skill) AND (\(sha256)::text IS NULL OR u.sha256 = \(sha256)::text) ORDER BY u.used_at, t.id
                """).map { row in
                let trial = try Self.trial(row)
                return SkillUse(study: try row["study_name"].decode(String.self), trialNumber: trial.number, state: trial.state,
                                metrics: trial.metrics)
            }
        }
    }
}
