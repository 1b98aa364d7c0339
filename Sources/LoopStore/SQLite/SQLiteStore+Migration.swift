import Foundation
import GRDB
import LoopSupport

extension SQLiteStore {
    public func snapshot() throws(StoreError) -> StoreSnapshot {
        try read("read the whole store") { db in
            var s = StoreSnapshot()
            s.studies = try Study.fetchAll(db, sql: "SELECT * FROM studies ORDER BY id")
            s.trials = try Trial.fetchAll(db, sql: "SELECT * FROM trials ORDER BY id")
            s.reports = try TrialReport.fetchAll(db, sql: "SELECT * FROM trial_reports ORDER BY trial_id, step")
            s.notes = try Note.fetchAll(db, sql: "SELECT * FROM notes ORDER BY id")
            s.artifacts = try Artifact.fetchAll(db, sql: "SELECT * FROM artifacts ORDER BY created_at, sha256")
            s.trialArtifacts = try Row.fetchAll(db, sql: "SELECT * FROM trial_artifacts ORDER BY trial_id, role").map { row in
                TrialArtifactLink(trialID: row["trial_id"], role: row["role"], sha256: row["artifact_sha256"], createdAt: row["created_at"])
            }
            s.models = try ModelVersion.fetchAll(db, sql: "SELECT * FROM models ORDER BY id")
            s.skills = try InstalledSkill.fetchAll(db, sql: "SELECT * FROM skills ORDER BY id")
            s.skillUses = try Row.fetchAll(db, sql: "SELECT * FROM skill_uses ORDER BY used_at, trial_id").map { row in
                SkillUseRecord(skill: row["skill"], sha256: row["sha256"], trialID: row["trial_id"], usedAt: row["used_at"])
            }
            return s
        }
    }

    public func restore(_ s: StoreSnapshot, bytes: (Artifact) throws(StoreError) -> Data) throws(StoreError) {
        if !(try snapshot().isEmpty) { throw .notEmpty(location: location) }
        // The files first (content-addressed, so a failed restore leaves only unreferenced files).
        for artifact in s.artifacts {
            let data = try bytes(artifact)
            let written = try artifactFiles.write { emit in try emit(data) }
            if written.sha256 != artifact.sha256 {
                throw .artifactTampered(sha256: artifact.sha256, actualSHA256: written.sha256, path: artifact.path)
            }
        }
        try write("restore a store") { db in
            if try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM studies) + (SELECT count(*) FROM notes) + (SELECT count(*) FROM models)") ?? 0 > 0 {
                throw StoreError.notEmpty(location: location)
            }
            func json<T: Encodable>(_ value: T, _ column: String) throws -> String { try JSONText.encode(value, column: column) }
            for x in s.studies {
                try db.execute(sql: """
                    INSERT INTO studies (id, name, description, space, goal_metric, goal_direction, strategy, seed, settings, stop_reason,
                                         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [x.id, x.name, x.description, try json(x.space, "studies.space"), x.goalMetric, x.goalDirection,
                                     x.strategy, x.seed, try json(x.settings, "studies.settings"), x.stopReason, x.createdAt, x.updatedAt])
            }
            for t in s.trials {
                try db.execute(sql: """
                    INSERT INTO trials (id, study_id, number, params, state, metrics, value, error, seed, started_at, finished_at,
                                        heartbeat_at, pid, host, repeat_of, repeat_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [t.id, t.studyID, t.number, try json(t.params, "trials.params"), t.state,
                                     MetricsJSON.encode(t.metrics, integers: t.integerMetrics), t.value, t.error, t.seed, t.startedAt,
                                     t.finishedAt, t.heartbeatAt, t.pid, t.host, t.repeatOf, t.repeatIndex])
            }
            for r in s.reports {
                try db.execute(sql: "INSERT INTO trial_reports (trial_id, step, value, reported_at) VALUES (?, ?, ?, ?)",
                               arguments: [r.trialID, r.step, r.value, r.reportedAt])
            }
            for n in s.notes {
                try db.execute(sql: """
                    INSERT INTO notes (id, text, tags, key, value, study_id, trial_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [n.id, n.text, try json(n.tags, "notes.tags"), n.key, try n.value.map { try json($0, "notes.value") },
                                     n.studyID, n.trialID, n.createdAt, n.updatedAt])
            }
            for a in s.artifacts {
                try db.execute(sql: "INSERT INTO artifacts (sha256, kind, size, path, name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [a.sha256, a.kind, a.size, ArtifactFiles.relativePath(sha256: a.sha256), a.name, a.createdAt])
            }
            for l in s.trialArtifacts {
                try db.execute(sql: "INSERT INTO trial_artifacts (trial_id, role, artifact_sha256, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [l.trialID, l.role, l.sha256, l.createdAt])
            }
            for m in s.models {
                try db.execute(sql: """
                    INSERT INTO models (id, name, version, status, metrics, artifact_sha256, trial_id, gate, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [m.id, m.name, m.version, m.status, try json(m.metrics, "models.metrics"), m.artifactSHA256, m.trialID,
                                     try json(m.gate, "models.gate"), m.createdAt])
            }
            for k in s.skills {
                try db.execute(sql: "INSERT INTO skills (name, version, sha256, source, permissions, installed_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [k.name, k.version, k.sha256, k.source, try json(k.permissions, "skills.permissions"), k.installedAt])
            }
            for u in s.skillUses {
                try db.execute(sql: "INSERT INTO skill_uses (skill, sha256, trial_id, used_at) VALUES (?, ?, ?, ?)",
                               arguments: [u.skill, u.sha256, u.trialID, u.usedAt])
            }
        }
    }
}
