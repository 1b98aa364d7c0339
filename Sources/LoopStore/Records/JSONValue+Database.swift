import Foundation
import GRDB
import LoopSupport

// A JSON column holding a bare `JSONValue` must be read as JSON text. Without this conformance
// GRDB would first try the value's single-value decoding on the raw column and happily turn
// `{"lr": 0.1}` into `.string("{\"lr\": 0.1}")`.
extension JSONValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue {
        (try? JSONText.encode(self, column: "json")).databaseValue
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JSONValue? {
        guard let text = String.fromDatabaseValue(dbValue) else { return nil }
        return JSONValue(json: text)
    }
}
