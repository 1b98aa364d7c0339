import Foundation

/// Every failure the store reports. Each case carries the facts needed to explain it; the words
/// live only in ``description`` (one renderer), so callers match on cases, never on strings.
public enum StoreError: Error, Sendable, Equatable {
    /// The file exists but is not an SQLite database (its header is not SQLite's).
    case notADatabase(path: String)
    /// The store's path names a directory, not a database file.
    case isADirectory(path: String)
    /// SQLite or `PRAGMA quick_check` found damage; `problems` are SQLite's own findings.
    case corrupted(path: String, problems: [String])
    /// The file is shorter than its own header says it must be.
    case truncated(path: String, expectedBytes: Int64, actualBytes: Int64)
    /// The database was migrated by a newer Looplab: it holds migrations this binary does not know.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// The disk (or the configured size cap) is full; the failed transaction was rolled back.
    case diskFull(path: String, operation: String)
    /// Another process held the write lock for longer than the busy timeout.
    case busy(path: String, operation: String, waitedSeconds: Double)
    /// The store directory could not be created or written.
    case cannotCreateDirectory(path: String, reason: String)
    /// No study with this name or id.
    case studyNotFound(String)
    /// No trial with this id.
    case trialNotFound(id: Int64)
    /// The trial already finished (complete, failed, ...); a finished trial is never rewritten.
    case trialAlreadyFinished(id: Int64, state: TrialState)
    /// The registry has no version of this model (or none left to roll back to).
    case modelNotFound(name: String)
    /// The artifact is not in the store (no row, or its file is missing).
    case artifactMissing(sha256: String)
    /// The artifact file's content no longer hashes to its name: it was modified on disk.
    case artifactTampered(sha256: String, actualSHA256: String, path: String)
    /// A file-system operation on an artifact failed.
    case artifactIO(path: String, reason: String)
    /// A JSON column could not be encoded or decoded.
    case invalidJSON(column: String, reason: String)
    /// Any other SQLite failure, with SQLite's extended result code and message.
    case sqlite(path: String, operation: String, code: Int32, message: String)
    /// A `scheme://` location no backend was registered for (a typo, or a program without it).
    case unsupportedLocation(location: String)
    /// A location URL that cannot be understood (no host, a bad port, ...).
    case invalidLocation(location: String, reason: String)
    /// The database server could not be reached (after retrying for `waitedSeconds`).
    case serverUnreachable(location: String, operation: String, reason: String, waitedSeconds: Double)
    /// The server refused the connection: wrong user or password, a missing database, no permission.
    case serverRefused(location: String, reason: String)
    /// The database holds a schema older than this Looplab's: it is not upgraded behind other
    /// workers' backs.
    case schemaTooOld(location: String, found: String, expected: String)
    /// Any other failure reported by a database server, with its SQLSTATE code.
    case server(location: String, operation: String, code: String, message: String)
    /// A migration's target already holds studies, notes, models, skills or artifacts.
    case notEmpty(location: String)
}

extension StoreError {
    /// Whether the store could not be opened at all because of where it points or what it holds
    /// (a wrong URL, password or database, an unknown schema): a usage error, not a failed run.
    public var isOpeningError: Bool {
        switch self {
        case .unsupportedLocation, .invalidLocation, .serverUnreachable, .serverRefused, .schemaTooOld, .schemaTooNew, .notEmpty,
             .notADatabase, .isADirectory, .corrupted, .truncated:
            return true
        default:
            return false
        }
    }
}

extension StoreError: CustomStringConvertible {
    /// The one place where store errors become prose.
    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path) is not a Looplab store (not an SQLite database). "
                + "Move it aside or point --store/LOOPLAB_STORE elsewhere; it was left untouched."
        case .isADirectory(let path):
            return "\(path) is a directory, not a store's database file; pass the database file "
                + "(such as \(path.hasSuffix("/") ? path : path + "/")\(Store.databaseFileName)) to --store/LOOPLAB_STORE"
        case .corrupted(let path, let problems):
            let shown = problems.prefix(5).joined(separator: "; ")
            let more = problems.count > 5 ? " (and \(problems.count - 5) more)" : ""
            return "the store \(path) is corrupted: \(shown)\(more). Nothing was written to it; "
                + "restore a backup or recover rows with `sqlite3 \(path) .recover`."
        case .truncated(let path, let expected, let actual):
            return "the store \(path) is truncated: its header describes \(expected) bytes but the "
                + "file has \(actual). Nothing was written to it; restore a backup."
        case .schemaTooNew(let path, let unknown):
            return "the store \(path) was written by a newer Looplab (unknown schema migrations: "
                + "\(unknown.joined(separator: ", "))). Upgrade looplab to use it."
        case .diskFull(let path, let operation):
            return "no space left for the store \(path) while trying to \(operation); that change "
                + "was rolled back and earlier records are intact. Free disk space and retry."
        case .busy(let path, let operation, let waited):
            return "the store \(path) stayed locked by another process for \(waited) s while "
                + "trying to \(operation)."
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the store directory \(path): \(reason)"
        case .studyNotFound(let name):
            return "no study named \(name)"
        case .trialNotFound(let id):
            return "no trial with id \(id)"
        case .trialAlreadyFinished(let id, let state):
            return "the trial with id \(id) already finished as \(state.rawValue); finished trials are never rewritten"
        case .modelNotFound(let name):
            return "no registered version of model \(name)"
        case .artifactMissing(let sha):
            return "artifact \(sha) is not in the store"
        case .artifactTampered(let sha, let actual, let path):
            return "artifact \(path) was modified on disk: expected sha256 \(sha), found \(actual); "
                + "refusing to use it"
        case .artifactIO(let path, let reason):
            return "artifact file \(path): \(reason)"
        case .invalidJSON(let column, let reason):
            return "invalid JSON in \(column): \(reason)"
        case .sqlite(let path, let operation, let code, let message):
            return "store \(path): \(operation) failed (SQLite \(code)): \(message)"
        case .unsupportedLocation(let location):
            let scheme = Store.scheme(of: location) ?? location
            return "cannot open the store \(location): this looplab has no store for '\(scheme)://' "
                + "(use a file path, sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE)"
        case .invalidLocation(let location, let reason):
            return "cannot open the store \(location): \(reason)"
        case .serverUnreachable(let location, let operation, let reason, let waited):
            let retried = waited > 0 ? " (retried for \(Int(waited.rounded())) s)" : ""
            return "cannot reach the store \(location) to \(operation)\(retried): \(reason)"
        case .serverRefused(let location, let reason):
            return "the store \(location) refused the connection: \(reason). Nothing was written."
        case .schemaTooOld(let location, let found, let expected):
            return "the store \(location) has schema \(found), older than this Looplab's \(expected); it is not "
                + "upgraded in place while other workers may use it. Copy it with `looplab store migrate` "
                + "into a new database, or use the Looplab that created it."
        case .notEmpty(let location):
            return "the store \(location) is not empty; a migration copies into a new, empty store (nothing was written)"
        case .server(let location, let operation, let code, let message):
            return "store \(location): \(operation) failed (SQLSTATE \(code)): \(message)"
        }
    }
}
