import Foundation
import LoopStore
import LoopStorePostgres
import LoopTestSupport
import Testing

/// `--store postgresql://…` from the binary: a study, the store commands and a report on a
/// PostgreSQL store; wrong URLs, passwords, databases and schemas refused with exit 2 before
/// anything is written; a server restarted mid-study.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"), .enabled(if: sharedPostgresStarted))
struct PostgresStoreTests {
    static let study = """
        let st = study("pg", space: {x: uniform(0.0, 1.0), act: choice("relu", "tanh")}, goal: minimize("loss"),
                       strategy: "random", seed: 3, max_trials: 8)
        for t in st {
          remember(t, {loss: (t.x - 0.3) ** 2})
        }
        remember("the quadratic bowl bottoms out near x = 0.3", tags: ["bowl"])
        print("best", st.best.number)
        """

    @Test func aStudyAndEveryStoreCommandWorkOnPostgres() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try ThrowawayPostgres.shared.freshStoreURL()
        try Self.study.write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let run = try runLooplab(["run", "--store", url, "s.loop"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".looplab").path), "no SQLite store was made")

        let trials = try storedTrials("pg", store: url)
        #expect(trials.count == 8 && trials.allSatisfy { $0.state == .complete })
        let best = try #require(trials.min { $0.value! < $1.value! })
        #expect(run.stdout == "best \(best.number)\n")

        // LOOPLAB_STORE works as --store does.
        let studies = try runLooplab(["studies"], directory: dir, environment: ["LOOPLAB_STORE": url])
        #expect(studies.status == 0 && studies.stdout.contains("pg") && studies.stdout.contains("8"), "\(studies.stderr)")
        let listed = try runLooplab(["trials", "pg", "--store", url], directory: dir)
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").count == 9, "\(listed.stdout)\(listed.stderr)")
        let bestRun = try runLooplab(["best", "pg", "--store", url], directory: dir)
        #expect(bestRun.status == 0 && bestRun.stdout.hasPrefix("pg: trial \(best.number), minimize loss"), "\(bestRun.stdout)")
        let export = try runLooplab(["export", "pg", "--format", "csv", "--store", url], directory: dir)
        #expect(export.status == 0 && export.stdout.split(separator: "\n").count == 9, "\(export.stdout)\(export.stderr)")
        let recall = try runLooplab(["recall", "quadratic", "bowl", "--store", url], directory: dir)
        #expect(recall.status == 0 && recall.stdout.contains("bowl"), "\(recall.stdout)\(recall.stderr)")
        let report = try runLooplab(["report", "pg", "--output", "r.html", "--store", url], directory: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        #expect(html.contains("pg") && html.contains("<svg"))
        #expect(!html.contains(":looplab-test@"), "the password is never printed")
        let missing = try runLooplab(["trials", "nope", "--store", url], directory: dir)
        #expect(missing.status == 1 && missing.stderr.contains("no study named 'nope'") && missing.stderr.contains("pg"), "\(missing.stderr)")
    }

    /// Artifacts' bytes go into the database by default, into a shared directory with
    /// `--artifacts DIR`; either way every worker reads them back by hash.
    @Test func artifactsLiveInTheDatabaseOrInASharedDirectory() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            let r = exec("echo logged-by-exec")
            print(read_file(r.artifact_path))
            """.write(to: dir.appendingPathComponent("a.loop"), atomically: true, encoding: .utf8)
        let server = ThrowawayPostgres.shared
        for shared in [false, true] {
            let url = try server.freshStoreURL()
            let schema = try #require(URLComponents(string: url)?.queryItems?.first { $0.name == "schema" }?.value)
            let extra = shared ? ["--artifacts", "shared"] : []
            let run = try runLooplab(["run", "--store", url] + extra + ["a.loop"], directory: dir)
            #expect(run.status == 0 && run.stdout.contains("logged-by-exec"), "\(run.stdout)\(run.stderr)")
            let sha = try server.psql("SELECT sha256 FROM \(schema).artifacts")
            #expect(sha.count == 64, "\(sha)")
            #expect(try server.psql("SELECT count(*) FROM \(schema).artifact_blobs") == (shared ? "0" : "1"))
            let file = dir.appendingPathComponent("shared/artifacts/\(sha.prefix(2))/\(sha.dropFirst(2))").path
            #expect(FileManager.default.fileExists(atPath: file) == shared)
        }
        let sqlite = try runLooplab(["run", "--artifacts", "shared", "a.loop"], directory: dir)
        #expect(sqlite.status == 2 && sqlite.stderr.contains("--artifacts applies to a postgresql:// store"), "\(sqlite.stderr)")
    }

    /// Wrong URL, port, password, database, scheme or schema version: exit 2 with a message that
    /// names the problem, the password never shown, and nothing written.
    @Test func badLocationsAreUsageErrorsAndWriteNothing() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.study.write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let server = ThrowawayPostgres.shared
        let good = try server.freshStoreURL()
        let port = try server.port()
        func refused(_ url: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let run = try runLooplab(["run", "--store", url, "s.loop"], directory: dir)
            #expect(run.status == 2, "\(url): \(run.stderr)", sourceLocation: sourceLocation)
            #expect(run.stderr.contains(fragment), "\(url): \(run.stderr)", sourceLocation: sourceLocation)
            #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
            #expect(!run.stderr.contains(":looplab-test@") && !run.stderr.contains("wrong-secret"), "a password was printed: \(run.stderr)",
                    sourceLocation: sourceLocation)
        }
        try refused("postgresql://looplab:wrong-secret@127.0.0.1:\(port)/looplab", "authentication failed")
        try refused("postgresql://looplab:looplab-test@127.0.0.1:\(port)/no_such_db", "\"no_such_db\" does not exist")
        try refused("postgresql://looplab:looplab-test@127.0.0.1:1/looplab", "cannot reach the store")
        try refused("postgresql://looplab:looplab-test@127.0.0.1:\(port)/looplab?colour=blue", "unknown parameter 'colour'")
        try refused("postgresql://looplab:looplab-test@127.0.0.1:99999/looplab", "outside 1...65535")
        try refused("mysql://looplab@127.0.0.1/looplab", "no store for 'mysql://'")
        #expect(try server.psql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't_%'") != "", "psql works")

        // A store written by a newer Looplab, then one older than this Looplab's schema.
        let first = try runLooplab(["run", "--store", good, "s.loop"], directory: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let schema = try #require(URLComponents(string: good)?.queryItems?.first { $0.name == "schema" }?.value)
        try server.psql("INSERT INTO \(schema).schema_versions (version) VALUES ('pg99')")
        try refused(good, "newer Looplab")
        try server.psql("DELETE FROM \(schema).schema_versions")
        try refused(good, "older than this Looplab's")
        #expect(try server.psql("SELECT count(*) FROM \(schema).trials") == "8", "nothing was written")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".looplab").path))
    }

    /// The server is stopped mid-study for two seconds and started again: the workers wait,
    /// reconnect and finish; every trial number and configuration is there once.
    @Test func theServerRestartsMidStudyAndTheWorkersCarryOn() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A cluster of its own: the restart must not disturb the tests sharing the other one.
        let server = ThrowawayPostgres()
        defer { server.stop() }
        let url = try server.freshStoreURL()
        try WorkersTests.script(trials: 16, seconds: 0.3).write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let process = try looplabProcess(["run", "--workers", "2", "--store", url, "s.loop"], directory: dir)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let outText = PipeCollector(out), errText = PipeCollector(err)
        try process.run()
        let marker = dir.appendingPathComponent("started")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: marker.path), Date() < deadline { usleep(50_000) }
        usleep(800_000)
        try server.restart(down: 2)
        process.waitUntilExit()
        let stderr = errText.text()
        _ = outText.text()
        #expect(process.terminationStatus == 0, "\(stderr)")
        let trials = try storedTrials("shared", store: url)
        #expect(trials.filter { $0.state == .complete }.count == 16, "\(trials.map(\.state))")
        #expect(trials.map(\.number) == Array(0..<trials.count), "numbers are unique and dense")
        let completeParams = trials.filter { $0.state == .complete }.map(\.params)
        #expect(Set(completeParams).count == completeParams.count, "a configuration ran twice")
        PostgresStore.register()
        let store = try Store.open(url, projectDirectory: dir)
        #expect(try store.integrityCheck() == ["ok"])
        try store.close()
    }
}
