import LoopSupport

/// How the store reads a trial's metrics column.
extension JSONValue {
    /// The fields of an object whose values are JSON integers (`5`, not `5.0`).
    public var integerFields: Set<String> {
        guard case .object(let fields) = self else { return [] }
        return Set(fields.compactMap { key, v in if case .int = v { key } else { nil } })
    }

    /// A metrics object's numbers; `"NaN"`, `"Infinity"` and `"-Infinity"` are the non-finite
    /// values the store spells as strings.
    public var metricNumbers: [String: Double] {
        guard case .object(let fields) = self else { return [:] }
        return fields.compactMapValues { v in
            switch v {
            case .int(let i): return Double(i)
            case .number(let d): return d
            case .string("NaN"): return .nan
            case .string("Infinity"): return .infinity
            case .string("-Infinity"): return -.infinity
            default: return nil
            }
        }
    }
}
