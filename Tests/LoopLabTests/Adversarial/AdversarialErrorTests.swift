import Foundation
import Testing

/// Issue 11, "Errors that should say more".
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct AdversarialErrorTests {
    @Test func aByteOrderMarkIsAccepted() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bom.loop")
        try Data([0xEF, 0xBB, 0xBF] + Array("print(\"fine\")\nprint(nope)\n".utf8)).write(to: file)
        let r = try looplab(["run", file.path])
        // The BOM is skipped: the first error is the real one, at the right column of line 2.
        #expect(r.isStaticError("undefined variable 'nope'") && r.stderr.contains("bom.loop:2:7"), "\(r)")
        try Data([0xEF, 0xBB, 0xBF] + Array("print(\"fine\")\n".utf8)).write(to: file)
        #expect(try looplab(["run", file.path]).stdout == "fine\n")
    }

    @Test func aSyntaxErrorInAHugeLineShowsAnExcerpt() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("wide.loop")
        try ("let x = [" + String(repeating: "1, ", count: 3_000_000) + "1 1]\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try looplab(["run", file.path])
        #expect(r.isStaticError("expected ',' or ']'"), "\(r)")
        #expect(r.stderr.utf8.count < 2_000 && r.stderr.contains("…") && r.stderr.contains("1, 1, 1 1]") && r.stderr.contains("^"),
                "\(r.stderr.utf8.count) bytes")
    }

    @Test func loadModelOnADirectorySaysSo() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("models"), withIntermediateDirectories: true)
        let r = try evaluate("load_model(\"models\")", in: dir)
        #expect(r.isError("load_model: models: cannot read checkpoint: it is a directory, not a file"), "\(r)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func aStorePathThatIsADirectorySaysSo() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try evaluate("remember(x: 1)", in: dir, environment: ["LOOPLAB_STORE": dir.path])
        #expect(r.status == 1 && r.stderr.contains("is a directory, not a store's database file"), "\(r)")
        #expect(!r.stderr.contains("9223372036854775807"))
        let listed = try looplab(["studies", "--store", dir.path])
        #expect(listed.status == 1 && listed.stderr.contains("is a directory"), "\(listed)")
    }

    /// Needs a read-only bind mount (root with mount rights); skipped elsewhere.
    static let canMountReadOnly: Bool = {
        guard getuid() == 0 else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/sh")
        probe.arguments = ["-c", "d=$(mktemp -d) && mount --bind $d $d && mount -o remount,ro,bind $d $d && umount $d; r=$?; rmdir $d; exit $r"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    @Test(.enabled(if: canMountReadOnly, "needs a read-only bind mount"))
    func aStoreOnReadOnlyMediaCanBeListed() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("store")
        let made = try evaluate("let st = study(\"ro\", space: space {x: uniform(0, 1)}, goal: maximize(\"v\"), max_trials: 2)\n"
                                + "for t in st { remember(t, {v: t.x}) }", in: dir,
                                environment: ["LOOPLAB_STORE": store.appendingPathComponent("looplab.db").path])
        #expect(made.status == 0, "\(made)")
        func sh(_ command: String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", command]
            try? p.run()
            p.waitUntilExit()
        }
        sh("mount --bind '\(store.path)' '\(store.path)' && mount -o remount,ro,bind '\(store.path)' '\(store.path)'")
        defer { sh("umount '\(store.path)'") }
        let db = store.appendingPathComponent("looplab.db").path
        let studies = try looplab(["studies", "--store", db])
        #expect(studies.status == 0 && studies.stdout.contains("ro ") && studies.stdout.contains("max_trials"), "\(studies)")
        let trials = try looplab(["trials", "ro", "--store", db])
        #expect(trials.status == 0 && trials.stdout.contains("complete"), "\(trials)")
    }

    @Test func emptyDataSaysItHasNoRows() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "x1,x2,label\n".write(to: dir.appendingPathComponent("empty.csv"), atomically: true, encoding: .utf8)
        let r = try evaluate("mlp(load_csv(\"empty.csv\"), hidden: [4])", in: dir)
        #expect(r.isError("load_csv: empty.csv: the file has a header but no data rows"), "\(r)")
        let part = try evaluate("let d = split(dataset(\"xor\", n: 4), train: 1, val: 0, test: 0)\nmlp(d.val, hidden: [4])", in: dir)
        #expect(part.isError("has no rows to take the model's widths from"), "\(part)")
    }

    @Test func largeIntegerLabelsSayTheTaskIsRegression() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "x,label\n1,5000000\n2,7\n3,12\n".write(to: dir.appendingPathComponent("ids.csv"), atomically: true, encoding: .utf8)
        let r = try evaluate("print(load_csv(\"ids.csv\").task)", in: dir)
        #expect(r.status == 0 && r.stdout == "regression\n", "\(r)")
        #expect(r.stderr.contains("target 'label' holds whole numbers from 7 to 5000000; only 0 to 999999 are read as classes, so the task is regression"), "\(r)")
    }
}
