import Foundation
import GRDB

/// Shared persistence conventions of the store's records.
///
/// JSON columns use sorted keys (stable text, diffable with `sqlite3`) and spell non-finite
/// numbers as strings, because a diverged trial's loss is NaN and plain JSON cannot say so.
/// Rows are written with explicit SQL (so the statements match docs/store.md) and read back
/// through GRDB's `Decodable` support.
protocol StoreRecord: Decodable, FetchableRecord {}

extension StoreRecord {
    public static func databaseJSONDecoder(for column: String) -> JSONDecoder { JSONText.decoder }
}

/// JSON text for the store's JSON columns, with the same conventions as ``StoreRecord``.
enum JSONText {
    /// One decoder for every JSON column: making one per column of every row was most of the
    /// cost of reading 10,000 trials. Decoding keeps no state in the decoder, so it is shared.
    nonisolated(unsafe) static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }()

    static func encode<T: Encodable>(_ value: T, column: String) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
            throw .invalidJSON(column: column, reason: String(describing: error))
        }
    }
}
