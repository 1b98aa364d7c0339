import Foundation
import GRDB
import LoopSupport

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
public enum JSONText {
    /// One decoder for every JSON column: making one per column of every row was most of the
    /// cost of reading 10,000 trials. Decoding keeps no state in the decoder, so it is shared.
    nonisolated(unsafe) public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }()

    public static func encode<T: Encodable>(_ value: T, column: String) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
            throw .invalidJSON(column: column, reason: String(describing: error))
        }
    }
}

/// A metrics column: integers written as JSON integers (`"epochs":5`) and every other number
/// with a fraction or an exponent (`"acc":1.0`), so a metric reads back with the type it was
/// given; non-finite values as `"NaN"`, `"Infinity"`, `"-Infinity"`. Keys sorted.
public enum MetricsJSON {
    public static func encode(_ metrics: [String: Double], integers: Set<String>) -> String {
        var fields: [String: JSONValue] = [:]
        for (name, value) in metrics {
            if integers.contains(name), value == value.rounded(), abs(value) < 9e15 {
                fields[name] = .int(Int(value))
            } else if value.isNaN {
                fields[name] = .string("NaN")
            } else if value.isInfinite {
                fields[name] = .string(value > 0 ? "Infinity" : "-Infinity")
            } else {
                fields[name] = .number(value)
            }
        }
        return "{" + fields.keys.sorted().map { key in
            let text: String
            switch fields[key]! {
            case .int(let i): text = String(i)
            case .number(let d): text = d.description   // always has "." or "e"
            case .string(let s): text = "\"" + s + "\""
            default: text = "null"
            }
            return (try? JSONText.encode(key, column: "metrics")) .map { $0 + ":" + text } ?? ""
        }.joined(separator: ",") + "}"
    }
}
