import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The content-addressed files under `STORE/artifacts/`: content with SHA-256 `abcdef…` lives at
/// `artifacts/ab/cdef…`, so identical checkpoints are stored once and a name proves the content.
///
/// Files are written to a temporary name in the same directory, fsynced, renamed into place and
/// the directory fsynced: a crash leaves either no file or the whole file, never a torn one.
public struct ArtifactFiles: Sendable {
    /// The store directory (the artifact paths are relative to it).
    public let storeDirectory: URL
    public static let chunkSize = 1 << 20

    public init(storeDirectory: URL) {
        self.storeDirectory = storeDirectory
    }

    /// `artifacts/ab/cdef…` for a hex SHA-256.
    public static func relativePath(sha256: String) -> String {
        "artifacts/\(sha256.prefix(2))/\(sha256.dropFirst(2))"
    }

    /// The absolute URL of a relative artifact path.
    public func url(relativePath: String) -> URL {
        storeDirectory.appendingPathComponent(relativePath)
    }

    /// Writes content (given as successive chunks) durably; returns its hash and size.
    public func write(chunks: (_ emit: (Data) throws -> Void) throws -> Void) throws(StoreError) -> (sha256: String, size: Int64) {
        let staging = storeDirectory.appendingPathComponent("artifacts", isDirectory: true)
        let temporary = staging.appendingPathComponent(".incoming-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw StoreError.artifactIO(path: temporary.path, reason: "cannot create (\(String(cString: strerror(errno))))")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            var hasher = SHA256()
            var size: Int64 = 0
            do {
                try chunks { data in
                    hasher.update(data: data)
                    size += Int64(data.count)
                    try handle.write(contentsOf: data)
                }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            let sha = ArtifactFiles.hex(hasher.finalize())
            let final = url(relativePath: ArtifactFiles.relativePath(sha256: sha))
            let folder = final.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if rename(temporary.path, final.path) != 0 {
                throw StoreError.artifactIO(path: final.path, reason: String(cString: strerror(errno)))
            }
            ArtifactFiles.syncDirectory(folder)
            return (sha, size)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? StoreError { throw error }
            let nsError = error as NSError
            let full = nsError.domain == NSPOSIXErrorDomain && nsError.code == Int(ENOSPC)
                || (nsError.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ENOSPC)
            if full { throw .diskFull(path: temporary.path, operation: "write an artifact") }
            throw .artifactIO(path: temporary.path, reason: error.localizedDescription)
        }
    }

    /// Reads an artifact and proves its content still hashes to its name.
    public func readVerified(sha256: String, relativePath: String) throws(StoreError) -> Data {
        let file = url(relativePath: relativePath)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw .artifactMissing(sha256: sha256)
        }
        let actual = ArtifactFiles.hex(SHA256.hash(data: data))
        if actual != sha256 { throw .artifactTampered(sha256: sha256, actualSHA256: actual, path: file.path) }
        return data
    }

    /// Hashes an artifact file in chunks (for large checkpoints) and checks it against its name.
    public func verify(sha256: String, relativePath: String) throws(StoreError) {
        let file = url(relativePath: relativePath)
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw .artifactMissing(sha256: sha256) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: ArtifactFiles.chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        let actual = ArtifactFiles.hex(hasher.finalize())
        if actual != sha256 { throw .artifactTampered(sha256: sha256, actualSHA256: actual, path: file.path) }
    }

    /// A SHA-256 digest as lower-case hex, as artifacts are named.
    public static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Makes a rename durable: the new directory entry is on disk, not only the file's bytes.
    static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }
}
