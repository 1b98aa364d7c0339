import Foundation
import GRDB
import LoopStore
import Testing

/// Damaged files give a clear, typed error and are left exactly as they were.
@Suite struct CorruptionTests {
    /// A closed store with a few trials, fully checkpointed (no WAL left beside it).
    func makeStore(_ directory: TemporaryDirectory) throws -> Data {
        let store = try Store(projectDirectory: directory.url)
        let study = try store.openStudy(StudySpec(name: "victim", description: String(repeating: "padding ", count: 200)))
        for index in 0..<200 {
            try store.recordTrial(studyID: study.id, params: ["i": .int(index), "blob": .string(String(repeating: "x", count: 200))],
                                  state: .complete, value: Double(index))
        }
        try store.close()
        let wal = try? FileManager.default.attributesOfItem(atPath: directory.databasePath + "-wal")
        #expect((wal?[.size] as? NSNumber)?.intValue ?? 0 == 0, "close folds the WAL into the file")
        return try Data(contentsOf: URL(fileURLWithPath: directory.databasePath))
    }

    func openError(_ path: String) -> StoreError? {
        do { _ = try Store(path: path); return nil } catch { return error }
    }

    @Test func randomBytesOverTheHeaderAreNotADatabase() throws {
        let directory = TemporaryDirectory("header")
        var bytes = try makeStore(directory)
        for index in 0..<100 { bytes[index] = UInt8.random(in: 0...255) }
        bytes[0] = UInt8(ascii: "X")  // never by chance the magic string
        try bytes.write(to: URL(fileURLWithPath: directory.databasePath))

        let error = openError(directory.databasePath)
        #expect(error == .notADatabase(path: directory.databasePath))
        #expect(error?.description.contains("not a Looplab store") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.databasePath)) == bytes, "left untouched")
    }

    @Test func randomBytesInsideThePagesAreCorruption() throws {
        let directory = TemporaryDirectory("pages")
        var bytes = try makeStore(directory)
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        for index in pageSize..<(bytes.count - pageSize) { bytes[index] = UInt8.random(in: 0...255) }
        try bytes.write(to: URL(fileURLWithPath: directory.databasePath))

        guard case .corrupted(let path, let problems)? = openError(directory.databasePath) else {
            Issue.record("expected .corrupted")
            return
        }
        #expect(path == directory.databasePath && !problems.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.databasePath)) == bytes, "left untouched")
    }

    @Test(arguments: [0.5, 0.9])
    func aTruncatedFileIsRefused(keep fraction: Double) throws {
        let directory = TemporaryDirectory("truncated")
        let bytes = try makeStore(directory)
        let cut = bytes.prefix(Int(Double(bytes.count) * fraction))
        try cut.write(to: URL(fileURLWithPath: directory.databasePath))

        let error = openError(directory.databasePath)
        guard case .truncated(_, let expected, let actual)? = error else {
            Issue.record("expected .truncated, got \(String(describing: error))")
            return
        }
        #expect(actual == Int64(cut.count) && expected > actual)
        #expect(error?.description.contains("truncated") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.databasePath)) == cut, "left untouched")
    }

    @Test func aFileCutInsideItsHeaderIsRefused() throws {
        let directory = TemporaryDirectory("stub")
        let bytes = try makeStore(directory)
        try bytes.prefix(50).write(to: URL(fileURLWithPath: directory.databasePath))
        #expect(openError(directory.databasePath) == .truncated(path: directory.databasePath, expectedBytes: 100, actualBytes: 50))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.databasePath)) == bytes.prefix(50), "left untouched")
    }

    @Test func aSchemaFromANewerLooplabIsRefused() throws {
        let directory = TemporaryDirectory("newer")
        _ = try makeStore(directory)
        let queue = try DatabaseQueue(path: directory.databasePath)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        try queue.close()
        #expect(openError(directory.databasePath) == .schemaTooNew(path: directory.databasePath, unknownMigrations: ["v99"]))
    }
}
