import Foundation
import GRDB

// A JSON column holding a bare `JSONValue` must be read as JSON text. Without this conformance
// GRDB would first try the value's single-value decoding on the raw column and happily turn
// `{"lr": 0.1}` into `.string("{\"lr\": 0.1}")`.
extension JSONValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        (try? JSONText.encode(self, column: "json")).databaseValue
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JSONValue? {
        guard let text = String.fromDatabaseValue(dbValue) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try? decoder.decode(JSONValue.self, from: Data(text.utf8))
    }
}
