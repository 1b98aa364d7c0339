import Foundation
import Logging
import LoopStore
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to the server, used by one caller at a time, that survives the server going
/// away: a lost connection is reopened with backoff and the interrupted operation run again.
///
/// The store's API is synchronous (the interpreter calls it between trials), so each query waits
/// for its future on the caller's thread; NIO's event loop runs on a thread of its own.
///
/// Running an operation again is safe because every operation is one transaction and every write
/// is idempotent: a trial, note or model version is inserted with a token the process made, so a
/// commit whose acknowledgement was lost is found, not repeated (see ``PostgresStore``).
final class PostgresSession: @unchecked Sendable {
    let location: PostgresLocation
    let readOnly: Bool
    /// How long an operation keeps trying to reconnect before it fails, in seconds.
    let reconnectWindow: Double
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let lock = NSLock()
    // Guarded by `lock`.
    private var connection: PostgresConnection?
    private var connections = 0
    private var closed = false
    private let logger: Logger = {
        var logger = Logger(label: "looplab.store.postgres")
        logger.logLevel = .critical
        return logger
    }()

    init(location: PostgresLocation, readOnly: Bool, reconnectWindow: Double) {
        self.location = location
        self.readOnly = readOnly
        self.reconnectWindow = reconnectWindow
    }

    deinit {
        try? connection?.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Runs `body` on the connection as one transaction (`BEGIN` ... `COMMIT`), reconnecting and
    /// running it again if the connection is lost before the commit is acknowledged.
    /// `atomic: false` leaves each statement its own transaction (one statement, or reads that
    /// need no common snapshot): two round trips fewer. `retrying: false` fails at once instead
    /// (opening a store: a wrong port is an error now).
    func transaction<T>(_ operation: String, atomic: Bool = true, retrying: Bool = true,
                        _ body: (PostgresSQL) throws -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let started = Date()
        var attempt = 0
        while true {
            do {
                let sql = PostgresSQL(connection: try connect(), logger: logger)
                guard atomic else { return try body(sql) }
                try sql.execute("BEGIN")
                do {
                    let result = try body(sql)
                    try sql.execute("COMMIT")
                    return result
                } catch {
                    if !isLostConnection(error) { _ = try? sql.execute("ROLLBACK") }
                    throw error
                }
            } catch let error as StoreError {
                throw error
            } catch {
                let waited = Date().timeIntervalSince(started)
                guard isLostConnection(error) || isRetryableTransaction(error) else { throw classify(error, operation: operation) }
                dropConnection()
                guard retrying, !closed, waited < reconnectWindow else {
                    throw StoreError.serverUnreachable(location: location.display, operation: operation,
                                                       reason: reason(error), waitedSeconds: retrying ? waited : 0)
                }
                attempt += 1
                // 0.1 s, doubling to 2 s: a restarting server is usually back within seconds.
                Thread.sleep(forTimeInterval: min(2, 0.1 * pow(2, Double(min(attempt, 5)))))
            }
        }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        closed = true
        dropConnection()
    }

    // MARK: - Connection

    private func connect() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration: PostgresConnection.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: "\(directory)/.s.PGSQL.\(location.port)", username: location.user,
                                  password: location.password, database: location.database)
        } else {
            configuration = .init(host: location.host, port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: try tls())
        }
        configuration.options.connectTimeout = .seconds(10)
        // The store's tables live in their own schema; nothing else in the database is touched.
        configuration.options.additionalStartupParameters = [
            ("search_path", location.schema), ("application_name", "looplab"),
            ("default_transaction_read_only", readOnly ? "on" : "off"),
        ]
        connections += 1
        let opened = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: connections,
                                                    logger: logger).wait()
        connection = opened
        return opened
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        switch location.tls {
        case .disable:
            return .disable
        case .prefer, .require:
            // As libpq: `prefer` and `require` encrypt without checking the certificate.
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            let context = try NIOSSLContext(configuration: settings)
            return location.tls == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    private func dropConnection() {
        if let connection { try? connection.close().wait() }
        connection = nil
    }

    // MARK: - Errors

    private func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// The connection is gone (or never came): the server stopped, restarted or is unreachable.
    private func isLostConnection(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                return true
            case .server:
                // 57P01-03: the server is shutting down or starting up; 08: connection exceptions.
                let state = sqlState(error) ?? ""
                return state.hasPrefix("57P") || state.hasPrefix("08")
            default:
                return false
            }
        }
        // NIO's own connect failures (refused, timed out, no route).
        return error is IOError || error is ChannelError || error is NIOConnectionError
    }

    /// Two transactions collided; running again is the documented answer.
    private func isRetryableTransaction(_ error: any Error) -> Bool {
        ["40001", "40P01"].contains(sqlState(error) ?? "")
    }

    private func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return String(describing: underlying) }
            return String(describing: error.code)
        }
        return String(describing: error)
    }

    private func classify(_ error: any Error, operation: String) -> StoreError {
        let shown = location.display
        guard let state = sqlState(error) else {
            if let error = error as? PSQLError, [.unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError, .sslUnsupported].contains(error.code) {
                return .serverRefused(location: shown, reason: "\(error.code)" + (error.code == .authMechanismRequiresPassword
                    ? " (give the password in the URL or PGPASSWORD)" : ""))
            }
            return .server(location: shown, operation: operation, code: "-", message: reason(error))
        }
        switch state {
        case "28P01", "28000":
            return .serverRefused(location: shown, reason: "authentication failed for user \(location.user) (\(reason(error)))")
        case "3D000":
            return .serverRefused(location: shown, reason: "\(reason(error)) (create it with `createdb \(location.database)`)")
        case "42501":
            return .serverRefused(location: shown, reason: "permission denied: \(reason(error))")
        default:
            return .server(location: shown, operation: operation, code: state, message: reason(error))
        }
    }
}

/// The queries of one transaction.
struct PostgresSQL {
    let connection: PostgresConnection
    let logger: Logger

    /// The rows a query returns.
    @discardableResult
    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try connection.query(query, logger: logger).wait().rows.map { $0.makeRandomAccess() }
    }

    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try connection.query(query, logger: logger).wait().metadata.rows ?? 0
    }

    /// The first row, or `nil`.
    func row(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? {
        try rows(query).first
    }
}
