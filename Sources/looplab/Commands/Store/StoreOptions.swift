import ArgumentParser
import Foundation
import LoopLab
import LoopStore
import LoopSupport

/// `--store PATH`, shared by the commands that read the project store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The store: a database file or postgresql://USER@HOST:PORT/DB (default: $LOOPLAB_STORE, else .looplab/looplab.db here).",
                               valueName: "PATH|URL"))
    var store: String?

    @Option(help: ArgumentHelp("With a postgresql:// store: keep artifacts' bytes in DIR, a directory every worker mounts at the same path, instead of in the database.",
                               valueName: "DIR"))
    var artifacts: String?

    /// The store's database file, or its URL.
    var path: String {
        get throws {
            let chosen = HostSettings.fromEnvironment().overridden(storePath: store, assumeYes: false).storePath
            return Store.resolveLocation(try withArtifacts(chosen), projectDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        }
    }

    /// The store location with `--artifacts DIR` folded into a server URL (`?artifacts=DIR`), so
    /// it reaches every worker with the location itself.
    func withArtifacts(_ chosen: String?) throws -> String? {
        guard let artifacts else { return chosen }
        guard let chosen, Store.scheme(of: chosen) != nil, var parts = URLComponents(string: chosen) else {
            Diagnostics.printError("looplab: --artifacts applies to a postgresql:// store; an SQLite store keeps its artifacts beside its database")
            throw ExitCode(ExitStatus.usage)
        }
        let directory = URL(fileURLWithPath: artifacts, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
        parts.queryItems = (parts.queryItems ?? []).filter { $0.name != "artifacts" } + [URLQueryItem(name: "artifacts", value: directory)]
        return parts.string ?? chosen
    }

    /// Opens the existing store for reading; a missing one is an error, not a new empty store.
    /// These commands only read, so they open it read-only (they never write it, and a running
    /// study's new trials are seen); a store of an older schema is opened normally once, which
    /// migrates it.
    func open() throws -> Store {
        let path = try self.path
        if Store.scheme(of: path) != nil {
            // A server database: opened as it is (read-only), or a clear error and exit 2.
            do { return try Store.open(path, projectDirectory: URL(fileURLWithPath: "/"), options: Store.Options(readOnly: true)) } catch {
                Diagnostics.printError("looplab: \(error.description)")
                throw ExitCode(error.isOpeningError ? ExitStatus.usage : ExitStatus.runtime)
            }
        }
        guard FileManager.default.fileExists(atPath: path) else {
            Diagnostics.printError("looplab: no store at \(path) (run a study here first, or pass --store PATH)")
            throw ExitCode(1)
        }
        if let reading = try? Store(path: path, options: Store.Options(readOnly: true)),
           (try? reading.schemaVersions()) == Store.knownSchemaVersions {
            return reading
        }
        do { return try Store(path: path) } catch {
            // These commands only read: a store that cannot be opened for writing (read-only
            // media, a file mode) is opened for reading before giving up.
            if let readable = try? Store(path: path, options: Store.Options(readOnly: true)) { return readable }
            Diagnostics.printError("looplab: \(error.description)")
            throw ExitCode(1)
        }
    }

    /// A server store (`postgresql://…`) is opened once before a script runs, so a wrong URL,
    /// password or database, or a schema of another Looplab, stops the run at once (exit 2, nothing
    /// written) instead of at the script's first study; in an empty database the schema is
    /// created here, once, not raced by N workers.
    func checkServer(_ location: String?) throws {
        guard let location, Store.scheme(of: location) != nil else { return }
        do { try Store.open(location, projectDirectory: URL(fileURLWithPath: "/")).close() } catch {
            Diagnostics.printError("looplab: \(error.description)")
            throw ExitCode(error.isOpeningError ? ExitStatus.usage : ExitStatus.runtime)
        }
    }

    /// The named study and its trials, or an error naming the studies that exist.
    func study(_ name: String, in store: Store) throws -> (LoopStore.Study, [Trial]) {
        guard let study = try store.study(named: name) else {
            Diagnostics.printError("looplab: " + store.missingStudyDescription(name))
            throw ExitCode(1)
        }
        return (study, try store.trials(studyID: study.id))
    }
}

/// Left-aligned columns separated by two spaces, for the store commands' tables.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// A number in at most 6 significant digits.
    static func number(_ value: Double?) -> String {
        value.map(NumberFormat.readable) ?? "-"
    }
}
