import Foundation
import LoopStore

/// A `postgresql://USER:PASSWORD@HOST:PORT/DATABASE?schema=NAME&sslmode=MODE` location, read the
/// way libpq reads it where it matters: the user defaults to `PGUSER`, then the login name; the
/// password to `PGPASSWORD`; the port to 5432; the database to the user's name. `host=/dir` in the
/// query reaches a server through its Unix socket in `/dir`.
struct PostgresLocation: Sendable, Equatable {
    enum TLSMode: String, Sendable {
        case disable, prefer, require
        /// `verify-full`: the certificate must be valid for the host.
        case verifyFull = "verify-full"
    }

    var host: String
    var port: Int
    var socketDirectory: String?
    var user: String
    var password: String?
    var database: String
    /// The PostgreSQL schema (namespace) the store's tables live in: several stores can share a
    /// database under different schemas.
    var schema: String
    var tls: TLSMode
    /// Where artifacts go instead of the database (`artifacts=/shared/dir`).
    var artifactsDirectory: String?
    /// The URL with the password hidden, for every message.
    var display: String

    static let schemes: Set<String> = ["postgresql", "postgres"]

    init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let shown = Store.displayLocation(url)
        func invalid(_ reason: String) -> StoreError { .invalidLocation(location: shown, reason: reason) }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), PostgresLocation.schemes.contains(scheme) else {
            throw invalid("not a postgresql://USER@HOST:PORT/DATABASE URL")
        }
        var query: [String: String] = [:]
        for item in parts.queryItems ?? [] {
            guard let value = item.value else { throw invalid("query parameter '\(item.name)' has no value") }
            query[item.name] = value
        }
        let known: Set<String> = ["host", "port", "user", "password", "dbname", "schema", "sslmode", "artifacts"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw invalid("unknown parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        let hostValue = query["host"] ?? parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        if hostValue.hasPrefix("/") {
            socketDirectory = hostValue
            host = "localhost"
        } else {
            host = hostValue
        }
        if let text = query["port"] {
            guard let value = Int(text) else { throw invalid("port '\(text)' is not a number") }
            port = value
        } else {
            port = parts.port ?? 5432
        }
        guard (1...65535).contains(port) else { throw invalid("port \(port) is outside 1...65535") }
        let login = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        user = query["user"] ?? parts.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? login
        password = query["password"] ?? parts.password ?? environment["PGPASSWORD"]
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = query["dbname"] ?? (path.isEmpty ? user : path)
        guard !database.contains("/") else { throw invalid("the database name '\(database)' contains '/'") }
        schema = query["schema"] ?? "looplab"
        guard !schema.isEmpty, schema.count <= 63,
              schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), !schema.first!.isNumber else {
            throw invalid("schema '\(schema)' must be 1 to 63 letters, digits or _, not starting with a digit")
        }
        let mode = query["sslmode"] ?? "prefer"
        guard let tls = TLSMode(rawValue: mode == "allow" ? "prefer" : mode == "verify-ca" ? "verify-full" : mode) else {
            throw invalid("sslmode '\(mode)' is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        self.tls = tls
        artifactsDirectory = query["artifacts"]
        display = shown
    }
}
