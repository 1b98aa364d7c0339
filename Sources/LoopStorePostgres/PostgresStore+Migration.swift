import Foundation
import LoopStore
import LoopSupport
import NIOCore
import PostgresNIO

extension PostgresStore {
    public func snapshot() throws(StoreError) -> StoreSnapshot {
        // One transaction, REPEATABLE READ: every table read at the same moment.
        try transaction("read the whole store") { sql in
            try sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            var s = StoreSnapshot()
            s.studies = try sql.rows("SELECT \(unescaped: Self.studyColumns) FROM studies ORDER BY id").map(Self.study)
            s.trials = try sql.rows("SELECT \(unescaped: Self.trialColumns) FROM trials ORDER BY id").map(Self.trial)
            s.reports = try sql.rows("SELECT trial_id, step, value, reported_at FROM trial_reports ORDER BY trial_id, step").map(Self.report)
            s.notes = try sql.rows("SELECT \(unescaped: Self.noteColumns) FROM notes ORDER BY id").map(Self.note)
            s.artifacts = try sql.rows("SELECT sha256, kind, size, path, name, created_at FROM artifacts ORDER BY created_at, sha256").map(Self.artifact)
            s.trialArtifacts = try sql.rows("SELECT trial_id, role, artifact_sha256, created_at FROM trial_artifacts ORDER BY trial_id, role").map { row in
                TrialArtifactLink(trialID: try row["trial_id"].decode(Int64.self), role: try row["role"].decode(String.self),
                                  sha256: try row["artifact_sha256"].decode(String.self), createdAt: try row["created_at"].decode(Date.self))
            }
            s.models = try sql.rows("SELECT \(unescaped: Self.modelColumns) FROM models ORDER BY id").map(Self.model)
            s.skills = try sql.rows("SELECT name, version, sha256, source, permissions, installed_at FROM skills ORDER BY id").map(Self.skill)
            s.skillUses = try sql.rows("SELECT skill, sha256, trial_id, used_at FROM skill_uses ORDER BY used_at, trial_id").map { row in
                SkillUseRecord(skill: try row["skill"].decode(String.self), sha256: try row["sha256"].decode(String.self),
                               trialID: try row["trial_id"].decode(Int64.self), usedAt: try row["used_at"].decode(Date.self))
            }
            return s
        }
    }

    public func restore(_ s: StoreSnapshot, bytes: (Artifact) throws(StoreError) -> Data) throws(StoreError) {
        // Artifacts' bytes are read (and verified) before the transaction, so it holds no
        // locks while the source is read.
        var contents: [String: Data] = [:]
        for artifact in s.artifacts {
            let data = try bytes(artifact)
            if artifactsInDatabase {
                contents[artifact.sha256] = data
            } else {
                let written = try artifactFiles.write { emit in try emit(data) }
                if written.sha256 != artifact.sha256 {
                    throw .artifactTampered(sha256: artifact.sha256, actualSHA256: written.sha256, path: artifact.path)
                }
            }
        }
        let location = self.location
        try transaction("restore a store") { sql in
            let held = try sql.row("""
                SELECT (SELECT count(*) FROM studies) + (SELECT count(*) FROM notes) + (SELECT count(*) FROM models)
                       + (SELECT count(*) FROM skills) + (SELECT count(*) FROM artifacts) AS n
                """)?["n"].decode(Int.self) ?? 0
            if held > 0 { throw StoreError.notEmpty(location: location) }
            func json<T: Encodable>(_ value: T, _ column: String) throws -> String { try JSONText.encode(value, column: column) }
            for x in s.studies {
                let next = (s.trials.filter { $0.studyID == x.id }.map(\.number).max() ?? -1) + 1
                try sql.execute("""
                    INSERT INTO studies (id, name, description, space, goal_metric, goal_direction, strategy, seed, settings, stop_reason,
                                         created_at, updated_at, next_number)
                    VALUES (\(x.id), \(x.name), \(x.description), \(try json(x.space, "studies.space")), \(x.goalMetric),
                            \(x.goalDirection.rawValue), \(x.strategy), \(x.seed), \(try json(x.settings, "studies.settings")),
                            \(x.stopReason), \(x.createdAt), \(x.updatedAt), \(next))
                    """)
            }
            for t in s.trials {
                try sql.execute("""
                    INSERT INTO trials (id, study_id, number, params, state, metrics, value, error, seed, started_at, finished_at,
                                        heartbeat_at, pid, host, repeat_of, repeat_index)
                    VALUES (\(t.id), \(t.studyID), \(t.number), \(try json(t.params, "trials.params")), \(t.state.rawValue),
                            \(MetricsJSON.encode(t.metrics, integers: t.integerMetrics)), \(t.value), \(t.error), \(t.seed),
                            \(t.startedAt), \(t.finishedAt), \(t.heartbeatAt), \(t.pid), \(t.host), \(t.repeatOf), \(t.repeatIndex))
                    """)
            }
            for r in s.reports {
                try sql.execute("""
                    INSERT INTO trial_reports (trial_id, step, value, reported_at) VALUES (\(r.trialID), \(r.step), \(r.value), \(r.reportedAt))
                    """)
            }
            for n in s.notes {
                try sql.execute("""
                    INSERT INTO notes (id, text, tags, key, value, study_id, trial_id, created_at, updated_at)
                    VALUES (\(n.id), \(n.text), \(try json(n.tags, "notes.tags")), \(n.key), \(try n.value.map { try json($0, "notes.value") }),
                            \(n.studyID), \(n.trialID), \(n.createdAt), \(n.updatedAt))
                    """)
            }
            for a in s.artifacts {
                try sql.execute("""
                    INSERT INTO artifacts (sha256, kind, size, path, name, created_at)
                    VALUES (\(a.sha256), \(a.kind), \(a.size), \(ArtifactFiles.relativePath(sha256: a.sha256)), \(a.name), \(a.createdAt))
                    """)
                if let data = contents[a.sha256] {
                    try sql.execute("INSERT INTO artifact_blobs (sha256, data) VALUES (\(a.sha256), \(ByteBuffer(bytes: data)))")
                }
            }
            for l in s.trialArtifacts {
                try sql.execute("""
                    INSERT INTO trial_artifacts (trial_id, role, artifact_sha256, created_at) VALUES (\(l.trialID), \(l.role), \(l.sha256), \(l.createdAt))
                    """)
            }
            for m in s.models {
                try sql.execute("""
                    INSERT INTO models (id, name, version, status, metrics, artifact_sha256, trial_id, gate, created_at)
                    VALUES (\(m.id), \(m.name), \(m.version), \(m.status.rawValue), \(try json(m.metrics, "models.metrics")), \(m.artifactSHA256),
                            \(m.trialID), \(try json(m.gate, "models.gate")), \(m.createdAt))
                    """)
            }
            for k in s.skills {
                try sql.execute("""
                    INSERT INTO skills (name, version, sha256, source, permissions, installed_at)
                    VALUES (\(k.name), \(k.version), \(k.sha256), \(k.source), \(try json(k.permissions, "skills.permissions")), \(k.installedAt))
                    """)
            }
            for u in s.skillUses {
                try sql.execute("INSERT INTO skill_uses (skill, sha256, trial_id, used_at) VALUES (\(u.skill), \(u.sha256), \(u.trialID), \(u.usedAt))")
            }
            // Ids were given explicitly: the sequences continue after them.
            for table in ["studies", "trials", "notes", "models"] {
                try sql.execute("""
                    SELECT setval(pg_get_serial_sequence(\(table), 'id'), coalesce((SELECT max(id) FROM \(unescaped: table)), 0) + 1, false)
                    """)
            }
        }
    }
}
