import Foundation
import GRDB

extension SQLiteStore {
    /// Stores bytes as a content-addressed artifact and records it; storing the same content
    /// again returns the existing record.
    ///
    /// The file is durable before its row is committed, so a row never points at a missing file.
    @discardableResult
    public func putArtifact(_ data: Data, kind: String, name: String? = nil,
                            now: Date = Date()) throws(StoreError) -> Artifact {
        let written = try artifactFiles.write { emit in try emit(data) }
        return try recordArtifact(sha256: written.sha256, size: written.size, kind: kind, name: name, now: now)
    }

    /// Copies a file (streamed, so checkpoints need not fit in memory) into the artifact store.
    @discardableResult
    public func putArtifact(fileAt source: URL, kind: String, name: String? = nil,
                            now: Date = Date()) throws(StoreError) -> Artifact {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw .artifactIO(path: source.path, reason: "cannot open for reading")
        }
        defer { try? input.close() }
        let written = try artifactFiles.write { emit in
            while let chunk = try input.read(upToCount: ArtifactFiles.chunkSize), !chunk.isEmpty {
                try emit(chunk)
            }
        }
        return try recordArtifact(sha256: written.sha256, size: written.size, kind: kind,
                                  name: name ?? source.lastPathComponent, now: now)
    }

    /// Keeps an artifact with a trial under a role (`model`: its checkpoint), replacing what the
    /// trial had under that role.
    public func attachArtifact(trialID: Int64, role: String, sha256: String, now: Date = Date()) throws(StoreError) {
        try write("attach \(role) to the trial with id \(trialID)") { db in
            guard try Bool(exists: db, sql: "SELECT 1 FROM trials WHERE id = ?", arguments: [trialID]) else {
                throw StoreError.trialNotFound(id: trialID)
            }
            try db.execute(sql: """
                INSERT INTO trial_artifacts (trial_id, role, artifact_sha256, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (trial_id, role) DO UPDATE SET artifact_sha256 = excluded.artifact_sha256,
                  created_at = excluded.created_at
                """, arguments: [trialID, role, sha256, now])
        }
    }

    /// The artifact a trial keeps under `role`, or `nil`.
    public func trialArtifact(trialID: Int64, role: String) throws(StoreError) -> Artifact? {
        try read("read the \(role) of the trial with id \(trialID)") { db in
            try Artifact.fetchOne(db, sql: """
                SELECT a.* FROM artifacts a JOIN trial_artifacts ta ON ta.artifact_sha256 = a.sha256
                WHERE ta.trial_id = ? AND ta.role = ?
                """, arguments: [trialID, role])
        }
    }

    /// The artifact's record, or `nil`.
    public func artifact(sha256: String) throws(StoreError) -> Artifact? {
        try read("read artifact \(sha256)") { db in
            try Artifact.fetchOne(db, sql: "SELECT * FROM artifacts WHERE sha256 = ?", arguments: [sha256])
        }
    }

    /// The artifact's bytes, verified against its hash (a modified file is refused).
    public func readArtifact(sha256: String) throws(StoreError) -> Data {
        guard let record = try artifact(sha256: sha256) else { throw .artifactMissing(sha256: sha256) }
        return try artifactFiles.readVerified(sha256: sha256, relativePath: record.path)
    }

    /// The artifact's file after verifying its hash, for loaders that read the file themselves.
    public func verifiedArtifactURL(sha256: String) throws(StoreError) -> URL {
        guard let record = try artifact(sha256: sha256) else { throw .artifactMissing(sha256: sha256) }
        try artifactFiles.verify(sha256: sha256, relativePath: record.path)
        return artifactFiles.url(relativePath: record.path)
    }

    /// The artifact's file under `STORE/artifacts/`.
    public func artifactURL(_ artifact: Artifact) throws(StoreError) -> URL {
        artifactFiles.url(relativePath: artifact.path)
    }

    private func recordArtifact(sha256: String, size: Int64, kind: String, name: String?,
                                now: Date) throws(StoreError) -> Artifact {
        try write("record artifact \(sha256)") { db in
            try db.execute(sql: """
                INSERT INTO artifacts (sha256, kind, size, path, name, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (sha256) DO NOTHING
                """, arguments: [sha256, kind, size, ArtifactFiles.relativePath(sha256: sha256), name, now])
            return try Artifact.fetchOne(db, sql: "SELECT * FROM artifacts WHERE sha256 = ?", arguments: [sha256])!
        }
    }
}
