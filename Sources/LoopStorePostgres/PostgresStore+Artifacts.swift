import Crypto
import Foundation
import LoopStore
import NIOCore
import PostgresNIO

/// Artifacts on a PostgreSQL store: content-addressed like the SQLite store's. Their bytes go into
/// `artifact_blobs` (stored once per hash, whoever stores them), or, with `?artifacts=DIR` in the
/// URL, into that directory, which every worker must see at the same path (a shared mount).
/// Files handed to loaders are materialised in a local cache after their hash is checked.
extension PostgresStore {
    public func putArtifact(_ data: Data, kind: String, name: String?, now: Date) throws(StoreError) -> Artifact {
        let written = try artifactFiles.write { emit in try emit(data) }
        return try recordArtifact(sha256: written.sha256, size: written.size, kind: kind, name: name, now: now)
    }

    public func putArtifact(fileAt source: URL, kind: String, name: String?, now: Date) throws(StoreError) -> Artifact {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw .artifactIO(path: source.path, reason: "cannot open for reading")
        }
        defer { try? input.close() }
        let written = try artifactFiles.write { emit in
            while let chunk = try input.read(upToCount: ArtifactFiles.chunkSize), !chunk.isEmpty { try emit(chunk) }
        }
        return try recordArtifact(sha256: written.sha256, size: written.size, kind: kind, name: name ?? source.lastPathComponent, now: now)
    }

    /// Records the artifact whose bytes `artifactFiles` now holds; in the database mode, its bytes too.
    private func recordArtifact(sha256: String, size: Int64, kind: String, name: String?, now: Date) throws(StoreError) -> Artifact {
        let relative = ArtifactFiles.relativePath(sha256: sha256)
        let bytes = artifactsInDatabase ? try artifactFiles.readVerified(sha256: sha256, relativePath: relative) : nil
        return try transaction("record artifact \(sha256)") { sql in
            try sql.execute("""
                INSERT INTO artifacts (sha256, kind, size, path, name, created_at)
                VALUES (\(sha256), \(kind), \(size), \(relative), \(name), \(now)) ON CONFLICT (sha256) DO NOTHING
                """)
            if let bytes {
                try sql.execute("""
                    INSERT INTO artifact_blobs (sha256, data) VALUES (\(sha256), \(ByteBuffer(bytes: bytes))) ON CONFLICT (sha256) DO NOTHING
                    """)
            }
            guard let row = try sql.row("SELECT sha256, kind, size, path, name, created_at FROM artifacts WHERE sha256 = \(sha256)") else {
                throw StoreError.artifactMissing(sha256: sha256)
            }
            return try Self.artifact(row)
        }
    }

    public func attachArtifact(trialID: Int64, role: String, sha256: String, now: Date) throws(StoreError) {
        try statements("attach \(role) to the trial with id \(trialID)") { sql in
            guard try sql.row("SELECT id FROM trials WHERE id = \(trialID)") != nil else { throw StoreError.trialNotFound(id: trialID) }
            guard try sql.row("SELECT sha256 FROM artifacts WHERE sha256 = \(sha256)") != nil else { throw StoreError.artifactMissing(sha256: sha256) }
            try sql.execute("""
                INSERT INTO trial_artifacts (trial_id, role, artifact_sha256, created_at) VALUES (\(trialID), \(role), \(sha256), \(now))
                ON CONFLICT (trial_id, role) DO UPDATE SET artifact_sha256 = excluded.artifact_sha256, created_at = excluded.created_at
                """)
        }
    }

    public func trialArtifact(trialID: Int64, role: String) throws(StoreError) -> Artifact? {
        try statements("read the \(role) of the trial with id \(trialID)") { sql in
            try sql.row("""
                SELECT a.sha256, a.kind, a.size, a.path, a.name, a.created_at FROM artifacts a
                JOIN trial_artifacts ta ON ta.artifact_sha256 = a.sha256 WHERE ta.trial_id = \(trialID) AND ta.role = \(role)
                """).map(Self.artifact)
        }
    }

    public func artifact(sha256: String) throws(StoreError) -> Artifact? {
        try statements("read artifact \(sha256)") { sql in
            try sql.row("SELECT sha256, kind, size, path, name, created_at FROM artifacts WHERE sha256 = \(sha256)").map(Self.artifact)
        }
    }

    public func readArtifact(sha256: String) throws(StoreError) -> Data {
        guard let record = try artifact(sha256: sha256) else { throw .artifactMissing(sha256: sha256) }
        guard artifactsInDatabase else { return try artifactFiles.readVerified(sha256: sha256, relativePath: record.path) }
        let data = try statements("read artifact \(sha256)") { sql -> Data? in
            guard let row = try sql.row("SELECT data FROM artifact_blobs WHERE sha256 = \(sha256)") else { return nil }
            var buffer = try row["data"].decode(ByteBuffer.self)
            return buffer.readData(length: buffer.readableBytes)
        }
        guard let data else { throw .artifactMissing(sha256: sha256) }
        let actual = ArtifactFiles.hex(SHA256.hash(data: data))
        if actual != sha256 { throw .artifactTampered(sha256: sha256, actualSHA256: actual, path: "\(location) artifact_blobs") }
        return data
    }

    public func verifiedArtifactURL(sha256: String) throws(StoreError) -> URL {
        guard let record = try artifact(sha256: sha256) else { throw .artifactMissing(sha256: sha256) }
        if artifactsInDatabase {
            // The cache is checked like any artifact file; a missing or modified copy is fetched again.
            if (try? artifactFiles.verify(sha256: sha256, relativePath: record.path)) != nil {
                return artifactFiles.url(relativePath: record.path)
            }
            let data = try readArtifact(sha256: sha256)
            _ = try artifactFiles.write { emit in try emit(data) }
        }
        try artifactFiles.verify(sha256: sha256, relativePath: record.path)
        return artifactFiles.url(relativePath: record.path)
    }

    public func artifactURL(_ artifact: Artifact) throws(StoreError) -> URL {
        artifactsInDatabase ? try verifiedArtifactURL(sha256: artifact.sha256) : artifactFiles.url(relativePath: artifact.path)
    }
}
