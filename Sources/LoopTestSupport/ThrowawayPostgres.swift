// Helpers the test targets share (not part of the looplab product).
import Foundation
import LoopSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The store backends the parity tests run against: every test taking a `Backend` runs once on
/// SQLite and once on PostgreSQL.
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }
}

/// One PostgreSQL cluster for the whole test process (`scripts/pg-throwaway`): started on first
/// use on a loopback port as an unprivileged user, stopped and deleted when the process exits.
/// It is never skipped: without PostgreSQL the tests that need it fail and say how to install it.
public final class ThrowawayPostgres: Sendable {
    public static let shared = ThrowawayPostgres()

    public let directory: String
    private let started: Result<String, ThrowawayPostgres.Failure>

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/pg-throwaway")
    }

    /// Starts a cluster of its own (a test that stops or restarts its server must not disturb
    /// the others'); `shared` is the one most tests use. Every cluster is stopped at exit.
    public init(environment: [String: String] = [:]) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-pg-\(getpid())-\(UUID().uuidString.prefix(8))").path
        let (status, output, errors) = ThrowawayPostgres.run([ThrowawayPostgres.script.path, "start", directory], environment: environment)
        if status == 0, let url = output.split(separator: "\n").last {
            started = .success(String(url))
            ThrowawayPostgres.running.withLock { running in
                if running.isEmpty {
                    atexit {
                        for directory in ThrowawayPostgres.running.withLock({ $0 }) {
                            _ = ThrowawayPostgres.run([ThrowawayPostgres.script.path, "stop", directory])
                        }
                    }
                }
                running.insert(directory)
            }
        } else {
            started = .failure(Failure(description: "cannot start a throwaway PostgreSQL (scripts/pg-throwaway): \(errors)"))
        }
    }

    private static let running = Mutex<Set<String>>([])

    /// Stops the server and deletes its directory.
    public func stop() {
        _ = ThrowawayPostgres.run([ThrowawayPostgres.script.path, "stop", directory])
        _ = ThrowawayPostgres.running.withLock { $0.remove(directory) }
    }

    /// The cluster's URL, with `schema` (a store of its own) when given.
    public func url(schema: String? = nil) throws -> String {
        let base = try started.get()
        return schema.map { base + "?schema=\($0)" } ?? base
    }

    /// A URL for a new, empty store of its own (a fresh schema in the cluster's database).
    public func freshStoreURL() throws -> String {
        try url(schema: "t_" + UUID().uuidString.prefix(12).lowercased().filter(\.isHexDigit))
    }

    /// The cluster's port.
    public func port() throws -> Int {
        guard let port = URLComponents(string: try url())?.port else { throw Failure(description: "no port in the cluster's URL") }
        return port
    }

    /// Stops the server (clients are disconnected), waits `down` seconds, starts it again.
    public func restart(down: Double) throws {
        let (status, _, errors) = ThrowawayPostgres.run([ThrowawayPostgres.script.path, "restart", directory],
                                                         environment: ["PG_DOWN_SECONDS": String(down)])
        if status != 0 { throw Failure(description: "restart failed: \(errors)") }
    }

    /// Runs SQL as the cluster's superuser through psql; returns its output.
    @discardableResult
    public func psql(_ sql: String, database: String = "looplab") throws -> String {
        let (status, output, errors) = ThrowawayPostgres.run(["/usr/bin/psql", "-X", "-q", "-t", "-A", "-h", directory, "-p", String(try port()),
                                                              "-U", "looplab", "-d", database, "-c", sql])
        if status != 0 { throw Failure(description: "psql failed: \(errors)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a command to its end; its output goes through files, not pipes: the server it
    /// starts lives on, and Foundation's `Process` can wait forever for a child's exit while the
    /// test threads it would need are blocked on the first use of `shared`.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) -> (Int32, String, String) {
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
        let exit = ChildProcess.waitForExit(pid)
        let text = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (exit, text(outPath), text(errPath))
    }
}


/// Starts the shared cluster while the tests are planned, before any test runs: suites that use
/// it name it in `.enabled(if: sharedPostgresStarted)` (always true; a failure to start shows up
/// in the tests that use it). Started from inside a test instead, its first use blocks a
/// thread of the small pool the concurrently running tests need — and Foundation's `Process`,
/// which other tests wait on, was seen to never report an exit while that thread was blocked.
public let sharedPostgresStarted: Bool = {
    _ = ThrowawayPostgres.shared
    return true
}()
