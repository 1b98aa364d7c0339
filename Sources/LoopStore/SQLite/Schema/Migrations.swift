import GRDB

/// The versioned schema. Each migration runs once, in order, inside a transaction; GRDB records
/// applied identifiers in `grdb_migrations`. Never edit a shipped migration: add `v2`, `v3`, ...
/// and describe the change in docs/store.md.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in SchemaV1.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v2") { db in
            for statement in SchemaV2.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v3") { db in
            for statement in SchemaV3.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v4") { db in
            for statement in SchemaV4.statements { try db.execute(sql: statement) }
        }
        return migrator
    }()

    /// Brings the database to the newest schema, safely when several processes open a new store
    /// at once.
    ///
    /// GRDB reads the list of applied migrations before a migration's transaction takes the write
    /// lock, so two processes can both decide to run `v1`; the loser's transaction then fails on
    /// the winner's tables and rolls back. Run again, it finds the work done. Each migration is its
    /// own transaction, so the loser can lose once per migration while the winner works through
    /// them: it may try once more than there are migrations.
    static func migrate(_ writer: any DatabaseWriter) throws {
        var attempt = 0
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                attempt += 1
                let done = try? writer.read { db in try migrator.hasCompletedMigrations(db) }
                if done == true { return }
                if attempt > migrator.migrations.count + 1 { throw error }
            }
        }
    }
}
