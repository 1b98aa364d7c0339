import Foundation
import Glibc
import LoopLang
import LoopResearch
import LoopStore

/// What the research primitives of one interpreter share: the project store, opened on first use
/// (so programs that never touch it never create `.looplab/`), the clock, and the studies this
/// process has open.
final class ResearchContext {
    /// `nil`: `LOOPLAB_STORE`, else `.looplab/looplab.db` under the current directory.
    let storePath: String?
    let clock: any WallClock
    private var store: Store?
    /// Studies opened in this process by name, so reopening one (a REPL cell run twice) can first
    /// settle the trials the old handle left running.
    var openStudies: [String: StudyBox] = [:]

    /// Set in a worker of `looplab run --workers N`.
    let worker: WorkerRole?

    init(storePath: String?, clock: any WallClock, worker: WorkerRole?) {
        self.storePath = storePath
        self.clock = clock
        self.worker = worker
    }

    /// Whether progress lines are shown when the program does not say: not in a worker, whose
    /// launcher draws one combined status line instead.
    var showsProgressByDefault: Bool { worker == nil }

    /// Where the store lives, fit to print: its database file or its URL without the password
    /// (see docs/store.md for the precedence).
    var storeLocation: String {
        // `storePath` already holds --store or LOOPLAB_STORE (HostSettings): nothing is read here.
        Store.displayLocation(Store.resolveLocation(storePath, projectDirectory: URL(fileURLWithPath: POSIXFiles.currentDirectory())))
    }

    func openStore() throws(LoopError) -> Store {
        if let store { return store }
        do {
            let opened = try Store.open(storePath, projectDirectory: URL(fileURLWithPath: POSIXFiles.currentDirectory()))
            store = opened
            return opened
        } catch {
            throw LoopError(.host(kind: "store", message: error.description))
        }
    }

    /// Closes the store if it is open, folding its write-ahead log back into the database file (a
    /// closed store is one file). The next use opens it again.
    func close() {
        openStudies = [:]
        guard let store else { return }
        self.store = nil
        try? store.close()
    }

    /// Runs a store call, turning its error into a catchable `.loop` error of kind "store".
    func withStore<T>(_ body: (Store) throws(StoreError) -> T) throws(LoopError) -> T {
        let store = try openStore()
        do throws(StoreError) { return try body(store) } catch {
            throw LoopError(.host(kind: "store", message: error.description))
        }
    }
}

/// A bad argument or request to a research primitive: a catchable error of kind "research".
func researchError(_ message: String) -> LoopError {
    LoopError(.host(kind: "research", message: message))
}
