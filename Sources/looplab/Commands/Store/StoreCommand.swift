import ArgumentParser
import Foundation
import LoopLab
import LoopStore
import LoopSupport

/// `looplab store ...`: operations on a whole store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Operations on a whole project store.",
        subcommands: [StoreMigrateCommand.self]
    )
}

/// `looplab store migrate --from A --to B`: every row of one store copied into a new, empty one
/// (ids, times and artifacts kept), then both read back and compared table by table.
struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a store into a new, empty one (SQLite <-> PostgreSQL), verifying counts and hashes.",
        discussion: """
            Copies studies, trials, intermediate values, notes and memory, the model registry, \
            skills and their evidence, and artifacts (their bytes checked against their hashes). \
            The target must be empty: nothing is written to a store that holds anything. After \
            the copy, both stores are read again and each table's row count and SHA-256 (over a \
            canonical text of its rows) must match; any difference exits 1.

            Examples:
              looplab store migrate --from .looplab/looplab.db --to postgresql://me@db:5432/research
              looplab store migrate --from sqlite:old.db --to postgresql://me@db/research?schema=team_a
              looplab store migrate --from postgresql://me@db/research --to backup.db
            """
    )

    @Option(help: ArgumentHelp("The store to copy: a database file, sqlite:PATH or postgresql://…", valueName: "LOCATION"))
    var from: String

    @Option(help: ArgumentHelp("The new store: a database file, sqlite:PATH or postgresql://… (must be empty).", valueName: "LOCATION"))
    var to: String

    func run() throws {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let (source, target) = (Store.resolveLocation(from, projectDirectory: here), Store.resolveLocation(to, projectDirectory: here))
        if Store.scheme(of: source) == nil, !FileManager.default.fileExists(atPath: source) {
            Diagnostics.printError("looplab store migrate: no store at \(source)")
            throw ExitCode(ExitStatus.usage)
        }
        if source == target {
            Diagnostics.printError("looplab store migrate: --from and --to name the same store")
            throw ExitCode(ExitStatus.usage)
        }
        do {
            let reading = try Store.open(source, projectDirectory: here, options: Store.Options(readOnly: true))
            defer { try? reading.close() }
            let writing = try Store.open(target, projectDirectory: here)
            defer { try? writing.close() }
            let snapshot = try reading.snapshot()
            Diagnostics.printError("looplab store migrate: copying \(snapshot.studies.count) studies, \(snapshot.trials.count) trials, "
                                   + "\(snapshot.notes.count) notes, \(snapshot.models.count) model versions, \(snapshot.artifacts.count) artifacts...")
            try writing.restore(snapshot) { artifact throws(StoreError) in try reading.readArtifact(sha256: artifact.sha256) }
            let copied = try writing.snapshot()
            var rows: [[String]] = []
            var mismatched: [String] = []
            for (before, after) in zip(snapshot.tableDigests, copied.tableDigests) {
                let same = before.rows == after.rows && before.sha256 == after.sha256
                if !same { mismatched.append(before.table) }
                rows.append([before.table, String(before.rows), String(after.rows), String(before.sha256.prefix(16)), same ? "ok" : "DIFFERENT"])
            }
            print(TextTable.render(["table", "rows", "copied", "sha256", "check"], rows))
            guard mismatched.isEmpty else {
                Diagnostics.printError("looplab store migrate: \(mismatched.joined(separator: ", ")) differ after the copy; \(Store.displayLocation(target)) is not a faithful copy")
                throw ExitCode(ExitStatus.runtime)
            }
            print("copied \(Store.displayLocation(source)) to \(Store.displayLocation(target)): every table's count and hash match")
        } catch let error as StoreError {
            Diagnostics.printError("looplab store migrate: \(error.description)")
            throw ExitCode(error.isOpeningError ? ExitStatus.usage : ExitStatus.runtime)
        }
    }
}
