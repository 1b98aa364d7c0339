import Foundation
import LoopStore
import LoopStorePostgres
import LoopSupport
import Testing

/// The store backends the parity tests run against: every test taking a `Backend` runs once on
/// SQLite and once on PostgreSQL.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A fresh, empty store of one backend: an SQLite file in a temporary directory, or a schema of
/// its own in the throwaway PostgreSQL cluster the test process shares.
final class TestStore {
    let backend: Backend
    let directory: TemporaryDirectory
    /// What `Store.open` takes: the database file, or the URL with this store's schema.
    let location: String
    let store: Store

    init(_ backend: Backend, _ label: String = "store", options: Store.Options = Store.Options()) throws {
        self.backend = backend
        directory = TemporaryDirectory(label)
        switch backend {
        case .sqlite:
            location = directory.databasePath
        case .postgres:
            location = try ThrowawayPostgres.shared.url(schema: "t_" + UUID().uuidString.prefix(12).lowercased().filter(\.isHexDigit))
        }
        store = try TestStore.open(location, options: options)
    }

    /// Another store on the same database: what a second process sees.
    func reopen(options: Store.Options = Store.Options()) throws -> Store {
        try TestStore.open(location, options: options)
    }

    static func open(_ location: String, options: Store.Options = Store.Options()) throws -> Store {
        PostgresStore.register()
        return try Store.open(location, projectDirectory: URL(fileURLWithPath: "/"), options: options)
    }
}

/// One PostgreSQL cluster for the whole test process (`scripts/pg-throwaway`): started on first
/// use on a loopback port as an unprivileged user, stopped and deleted when the process exits.
/// It is never skipped: without PostgreSQL the tests that need it fail and say how to install it.
final class ThrowawayPostgres: Sendable {
    static let shared = ThrowawayPostgres()

    let directory: String
    private let started: Result<String, ThrowawayPostgres.Failure>

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/pg-throwaway")
    }

    private init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-pg-\(getpid())").path
        let (status, output, errors) = ThrowawayPostgres.run([ThrowawayPostgres.script.path, "start", directory])
        if status == 0, let url = output.split(separator: "\n").last {
            started = .success(String(url))
            ThrowawayPostgres.stopAtExit = directory
            atexit {
                if let directory = ThrowawayPostgres.stopAtExit {
                    _ = ThrowawayPostgres.run([ThrowawayPostgres.script.path, "stop", directory])
                }
            }
        } else {
            started = .failure(Failure(description: "cannot start a throwaway PostgreSQL (scripts/pg-throwaway): \(errors)"))
        }
    }

    nonisolated(unsafe) private static var stopAtExit: String?

    /// The cluster's URL, with `schema` (a store of its own) when given.
    func url(schema: String? = nil) throws -> String {
        let base = try started.get()
        return schema.map { base + "?schema=\($0)" } ?? base
    }

    /// The cluster's port.
    func port() throws -> Int {
        guard let port = URLComponents(string: try url())?.port else { throw Failure(description: "no port in the cluster's URL") }
        return port
    }

    /// Stops the server (clients are disconnected), waits `down` seconds, starts it again.
    func restart(down: Double) throws {
        let (status, _, errors) = ThrowawayPostgres.run([ThrowawayPostgres.script.path, "restart", directory],
                                                         environment: ["PG_DOWN_SECONDS": String(down)])
        if status != 0 { throw Failure(description: "restart failed: \(errors)") }
    }

    /// Runs SQL as the cluster's superuser through psql; returns its output.
    @discardableResult
    func psql(_ sql: String, database: String = "looplab") throws -> String {
        let (status, output, errors) = ThrowawayPostgres.run(["/usr/bin/psql", "-X", "-q", "-t", "-A", "-h", directory, "-p", String(try port()),
                                                              "-U", "looplab", "-d", database, "-c", sql])
        if status != 0 { throw Failure(description: "psql failed: \(errors)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a command to its end; its output goes through files, not pipes: the server it
    /// starts lives on, and Foundation's `Process` can wait forever for a child's exit while the
    /// test threads it would need are blocked on the first use of `shared`.
    static func run(_ arguments: [String], environment: [String: String] = [:]) -> (Int32, String, String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-pg-run-\(UUID().uuidString)").path
        let (outPath, errPath) = (base + ".out", base + ".err")
        let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600), err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { unlink(outPath); unlink(errPath) }
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(arguments[0], arguments: Array(arguments.dropFirst()),
                                         environment: ChildProcess.currentEnvironment().merging(environment) { $1 }, stdout: out, stderr: err)
        } catch {
            close(out); close(err)
            return (-1, "", "\(error.reason)")
        }
        close(out); close(err)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let text = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (exit, text(outPath), text(errPath))
    }
}

extension TestStore {
    /// Closes the store (and keeps the fixture, with its directory, alive until here).
    func close() { try? store.close() }
}
