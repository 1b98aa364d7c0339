import Foundation

/// Looks at an existing database file's header before SQLite does.
///
/// SQLite treats a short file leniently (it trusts the file size over the header), so a file cut
/// in half could otherwise open and lose its tail silently. Checking the header's own page count
/// against the file size catches that; `PRAGMA quick_check` later catches damage inside.
enum FileCheck {
    static let magic = Array("SQLite format 3\u{0}".utf8)
    static let headerSize = 100

    static func inspect(path: String) throws(StoreError) {
        // A directory opens as a file handle whose "size" is meaningless (Int64.max).
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .isADirectory(path: path)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return }  // new store
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int64.init) ?? 0
        if size == 0 { return }  // SQLite's own "empty database": the migrator will create v1
        try? handle.seek(toOffset: 0)
        let header = [UInt8]((try? handle.read(upToCount: headerSize)) ?? Data())

        let prefix = Array(header.prefix(magic.count))
        if prefix != Array(magic.prefix(prefix.count)) { throw .notADatabase(path: path) }
        if header.count < headerSize {
            throw .truncated(path: path, expectedBytes: Int64(headerSize), actualBytes: size)
        }
        let rawPageSize = Int64(header[16]) << 8 | Int64(header[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw .corrupted(path: path, problems: ["invalid page size \(rawPageSize) in the header"])
        }
        // With a non-empty WAL the newest pages may live only there; the main file can then be
        // legitimately shorter than the header's count, so leave that case to quick_check.
        if walHasFrames(path: path) { return }
        if size % pageSize != 0 {
            throw .truncated(path: path, expectedBytes: (size / pageSize + 1) * pageSize, actualBytes: size)
        }
        // The in-header page count is valid only when the change counter equals the
        // "version-valid-for" number (offsets 24 and 92), as SQLite itself checks.
        if header[24..<28] == header[92..<96] {
            let pages = header[28..<32].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            if pages > 0, pages * pageSize > size {
                throw .truncated(path: path, expectedBytes: pages * pageSize, actualBytes: size)
            }
        }
    }

    private static func walHasFrames(path: String) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal")
        return ((attributes?[.size] as? NSNumber)?.int64Value ?? 0) > 32  // 32: the WAL header alone
    }
}
