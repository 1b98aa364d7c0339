import Foundation
import GRDB

/// The embedded backend: one SQLite database (WAL mode) with content-addressed files beside it.
///
/// Several processes may open the same store at once: writes are serialised by SQLite and wait
/// (up to ``Store/Options/busyTimeout``) instead of failing with "database is locked".
public final class SQLiteStore: StoreBackend {
    /// The path of the SQLite database file.
    public let path: String
    /// The directory holding the database and the `artifacts/` folder.
    public let directory: URL
    /// The options the store was opened with.
    public let options: Store.Options
    public var location: String { path }
    /// The content-addressed files beside the database.
    public let artifactFiles: ArtifactFiles

    /// A `DatabasePool` (WAL, concurrent readers); a `DatabaseQueue` when opened read-only.
    let pool: any DatabaseWriter
    /// This process, as recorded on the trials it starts.
    public let owner: ProcessOwner
    /// Renews the heartbeats of the trials this process is running.
    let heartbeats: Heartbeats

    /// Opens (creating if needed) the store whose database file is `path`.
    ///
    /// Before anything is written the file is checked: a file that is not SQLite, a truncated file
    /// and a file that fails `PRAGMA quick_check` are refused with ``StoreError``, never repaired
    /// or overwritten. A database migrated by a newer Looplab is refused too.
    public init(path: String, options: Store.Options = Store.Options()) throws(StoreError) {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        self.path = url.path
        self.directory = url.deletingLastPathComponent()
        self.options = options
        self.owner = ProcessOwner.current
        self.artifactFiles = ArtifactFiles(storeDirectory: directory)

        let writer = options.readOnly ? try SQLiteStore.openForReading(path: self.path, options: options)
            : try SQLiteStore.openForWriting(path: self.path, directory: directory, options: options)
        self.pool = writer
        self.heartbeats = Heartbeats(lease: options.trialLease) { ids, now in
            let list = ids.map(String.init).joined(separator: ",")
            try? writer.write { db in
                try db.execute(sql: "UPDATE trials SET heartbeat_at = ? WHERE id IN (\(list)) AND state = 'running'", arguments: [now])
            }
        }
    }

    deinit { heartbeats.stop() }

    private static func openForReading(path: String, options: Store.Options) throws(StoreError) -> any DatabaseWriter {
        try FileCheck.inspect(path: path)
        // A read-only pool sees what writers commit while it is open (the dashboard follows a
        // running study this way) and never writes.
        if let live = try? DatabasePool(path: path, configuration: options.configuration()) { return live }
        // `immutable=1`: on read-only media SQLite can neither lock nor create the WAL's shared
        // memory, and plain read-only mode refuses to open. The database is read as it was last
        // checkpointed (closing a store folds its log in).
        let escaped = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
            .replacingOccurrences(of: "#", with: "%23")
        do { return try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: options.configuration()) } catch {
            throw StoreError.from(error, path: path, operation: "open the database for reading", busyTimeout: options.busyTimeout)
        }
    }

    private static func openForWriting(path: String, directory: URL, options: Store.Options) throws(StoreError) -> any DatabaseWriter {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateDirectory(path: directory.path, reason: error.localizedDescription)
        }
        try FileCheck.inspect(path: path)
        try SQLiteStore.preflight(path: path, options: options)

        // Processes that open a brand-new store at the same moment race to switch it to WAL and
        // migrate it; SQLite can answer the loser "busy" at once, without waiting in the busy
        // handler. Opening again shortly after finds the winner's work done.
        let giveUp = Date().addingTimeInterval(options.busyTimeout)
        var attempt = 0
        while true {
            do {
                return try SQLiteStore.openPool(path: path, options: options)
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) && Date() < giveUp {
                attempt += 1
                usleep(UInt32(min(20_000 * attempt, 250_000)))
            } catch {
                throw StoreError.from(error, path: path, operation: "open the database", busyTimeout: options.busyTimeout)
            }
        }
    }

    private static func openPool(path: String, options: Store.Options) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: options.configuration())
        // GRDB switches the writer to synchronous = NORMAL when it enables WAL, after
        // `prepareDatabase` ran, so the chosen durability is applied here, on the writer.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(options.durability == .full ? "FULL" : "NORMAL")")
        }
        try Schema.migrate(pool)
        return pool
    }

    /// Refuses a damaged or too-new database before anything may write to it.
    ///
    /// This runs on a plain connection before the pool exists, because opening a `DatabasePool`
    /// already writes (it enables WAL and primes the WAL file), and a write into a damaged file
    /// can spread the damage.
    private static func preflight(path: String, options: Store.Options) throws(StoreError) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        if size == 0 { return }  // a new store
        var configuration = Configuration()
        configuration.busyMode = .timeout(options.busyTimeout)
        do {
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? connection.close() }
            try connection.inDatabase { db in
                let findings = try String.fetchAll(db, sql: "PRAGMA quick_check")
                if findings != ["ok"] { throw StoreError.corrupted(path: path, problems: findings) }
                // Another process may have just created the file and not migrated it yet.
                if try db.tableExists("grdb_migrations"), try Schema.migrator.hasBeenSuperseded(db) {
                    let known = Set(Schema.migrator.migrations)
                    let unknown = try Schema.migrator.appliedIdentifiers(db).subtracting(known).sorted()
                    throw StoreError.schemaTooNew(path: path, unknownMigrations: unknown)
                }
            }
        } catch {
            throw StoreError.from(error, path: path, operation: "check the database", busyTimeout: options.busyTimeout)
        }
    }

    /// Closes the database connections. Later calls on this store fail.
    ///
    /// The WAL is folded into the database first, so a closed store is one self-contained file
    /// (GRDB closes its read-only connections last, and those cannot checkpoint).
    public func close() throws(StoreError) {
        heartbeats.stop()
        try? pool.writeWithoutTransaction { db in
            // Best effort and brief: another process may be reading, and closing must not wait
            // the full busy timeout for it; its last connection will checkpoint instead.
            try db.execute(sql: "PRAGMA busy_timeout = 200")
            try db.checkpoint(.truncate)
        }
        do { try pool.close() } catch {
            throw StoreError.from(error, path: path, operation: "close", busyTimeout: options.busyTimeout)
        }
    }

    /// Runs SQLite's full `PRAGMA integrity_check`; returns `["ok"]` for a healthy database.
    public func integrityCheck() throws(StoreError) -> [String] {
        try read("check integrity") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The durability the writer connection actually runs with (`PRAGMA synchronous`).
    public func durabilityInEffect() throws(StoreError) -> Store.Durability {
        let level = try writeWithoutTransaction("read the durability") { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 0
        }
        return level >= 2 ? .full : .normal
    }

    /// Every schema migration this version of Looplab knows, oldest first.
    public static var knownSchemaVersions: [String] { Schema.migrator.migrations }

    /// The columns of one of the store's tables, in their order (for tests of the schema).
    public func tableColumns(_ table: String) throws(StoreError) -> [String] {
        try read("read the columns of \(table)") { db in try db.columns(in: table).map(\.name) }
    }

    /// The identifiers of the applied schema migrations, oldest first (`["v1", ...]`).
    public func schemaVersions() throws(StoreError) -> [String] {
        try read("read the schema version") { db in try Schema.migrator.appliedMigrations(db) }
    }

    // MARK: - Access with error classification

    /// One write transaction (BEGIN IMMEDIATE ... COMMIT); errors are mapped to ``StoreError``.
    func write<T>(_ operation: String, _ updates: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(updates) } catch {
            throw StoreError.from(error, path: path, operation: operation, busyTimeout: options.busyTimeout)
        }
    }

    /// Writer-connection access outside a transaction (pragmas, checkpoints).
    func writeWithoutTransaction<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.writeWithoutTransaction(body) } catch {
            throw StoreError.from(error, path: path, operation: operation, busyTimeout: options.busyTimeout)
        }
    }

    /// One read on a snapshot; errors are mapped to ``StoreError``.
    func read<T>(_ operation: String, _ value: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(value) } catch {
            throw StoreError.from(error, path: path, operation: operation, busyTimeout: options.busyTimeout)
        }
    }
}
