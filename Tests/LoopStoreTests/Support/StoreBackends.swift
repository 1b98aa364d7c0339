import Foundation
import LoopStore
import LoopStorePostgres
import LoopSupport
import LoopTestSupport
import Testing

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
            location = try ThrowawayPostgres.shared.freshStoreURL()
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

extension TestStore {
    /// Closes the store (and keeps the fixture, with its directory, alive until here).
    func close() { try? store.close() }
}
