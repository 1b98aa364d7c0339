import Foundation
import GRDB

extension StoreError {
    /// Classifies any error raised while touching the database into a ``StoreError``.
    ///
    /// SQLite reports a full disk as SQLITE_FULL, but a full tmpfs can also surface while growing
    /// the WAL index (SQLITE_IOERR_SHMSIZE), so that code counts as "full" as well.
    static func from(_ error: any Error, path: String, operation: String, busyTimeout: Double) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return .sqlite(path: path, operation: operation, code: -1, message: String(describing: error))
        }
        let message = error.message ?? "unknown error"
        switch error.resultCode {
        case .SQLITE_FULL:
            return .diskFull(path: path, operation: operation)
        case .SQLITE_NOTADB:
            return .notADatabase(path: path)
        case .SQLITE_CORRUPT:
            return .corrupted(path: path, problems: [message])
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path, operation: operation, waitedSeconds: busyTimeout)
        case .SQLITE_IOERR where error.extendedResultCode == .SQLITE_IOERR_SHMSIZE:
            return .diskFull(path: path, operation: operation)
        default:
            return .sqlite(path: path, operation: operation, code: error.extendedResultCode.rawValue, message: message)
        }
    }
}
