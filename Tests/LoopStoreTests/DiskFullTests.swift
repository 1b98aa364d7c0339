import Foundation
import LoopStore
import LoopSupport
import Testing

/// A full disk: a clear error, and every record committed before it is intact.
@Suite struct DiskFullTests {
    /// Writes trials with bulky params until the store reports a full disk (or `limit` is hit).
    static func fill(_ store: Store, studyID: Int64, limit: Int = 20_000) -> (written: Int, error: StoreError?) {
        let blob = JSONValue.string(String(repeating: "w", count: 8_000))
        for index in 0..<limit {
            do {
                try store.recordTrial(studyID: studyID, params: ["i": .int(index), "blob": blob], state: .complete,
                                      value: Double(index))
            } catch {
                return (index, error)
            }
        }
        return (limit, nil)
    }

    static func expectEarlierRecordsIntact(_ store: Store, studyID: Int64, count: Int) throws {
        let trials = try store.trials(studyID: studyID)
        #expect(trials.count == count)
        #expect(trials.map(\.number) == Array(0..<count))
        #expect(trials.allSatisfy { $0.state == .complete && $0.value == Double($0.number) })
    }

    /// SQLite's size cap stands in for a small disk; it needs no privileges, so it always runs.
    @Test func aSizeCapFailsWithDiskFullAndKeepsEarlierRecords() throws {
        let directory = TemporaryDirectory("cap")
        let store = try Store(projectDirectory: directory.url, options: Store.Options(maxPageCount: 400))
        let study = try store.openStudy(StudySpec(name: "capped"))
        let (written, error) = Self.fill(store, studyID: study.id)
        #expect(written > 10)
        #expect(error == .diskFull(path: store.location, operation: "record a trial"))
        #expect(error?.description.contains("earlier records are intact") == true)
        try Self.expectEarlierRecordsIntact(store, studyID: study.id, count: written)
        try store.close()

        let reopened = try Store(projectDirectory: directory.url)
        #expect(try reopened.integrityCheck() == ["ok"])
        try Self.expectEarlierRecordsIntact(reopened, studyID: study.id, count: written)
    }

    /// A real full file system: a 4 MiB tmpfs (needs root and mount permission; otherwise the
    /// size-cap test above is the evidence and this one returns early).
    @Test func aFullTmpfsFailsWithDiskFullAndKeepsEarlierRecords() throws {
        let directory = TemporaryDirectory("tmpfs")
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", directory.url.path]) else {
            print("DiskFullTests: cannot mount a tmpfs here (not root?); the size-cap test covers a full store")
            return
        }
        defer { _ = Self.run("/bin/umount", ["-l", directory.url.path]) }

        let store = try Store(projectDirectory: directory.url)
        let study = try store.openStudy(StudySpec(name: "tmpfs"))
        let (written, error) = Self.fill(store, studyID: study.id)
        #expect(written > 10)
        guard case .diskFull? = error else {
            Issue.record("expected .diskFull, got \(String(describing: error))")
            return
        }
        try Self.expectEarlierRecordsIntact(store, studyID: study.id, count: written)
        // Artifacts hit the same wall with the same error, and leave no partial file behind.
        #expect {
            try store.putArtifact(Data(count: 8 << 20), kind: "checkpoint")
        } throws: { error in
            if case .diskFull = error as? StoreError { return true }
            Issue.record("artifact on a full disk threw \(error)")
            return false
        }
        try? store.close()

        // Reopened (the disk still full: opening and reading need no space), every record is there.
        let reopened = try Store(projectDirectory: directory.url)
        #expect(try reopened.integrityCheck() == ["ok"])
        try Self.expectEarlierRecordsIntact(reopened, studyID: study.id, count: written)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent(".looplab/artifacts").path)
        #expect(leftovers.allSatisfy { !$0.hasPrefix(".incoming-") })
    }

    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: tool) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
