/// A TOML value, as `skills.toml` and `skills.lock` use them (no dates).
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML type's name, for error messages.
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

/// A TOML table: keys in the order they were defined, with the line each was defined on so that
/// validation errors can point at it.
public struct TOMLTable: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var lines: [String: Int] = [:]
    /// The line of the table's header (or of its first key); 0 for the root and built tables.
    public let line: Int
    /// Made by a header or inline, as opposed to implied by `[a.b]` or a dotted key.
    var explicit: Bool

    public init(line: Int = 0) {
        self.line = line
        self.explicit = true
    }

    init(line: Int, explicit: Bool) {
        self.line = line
        self.explicit = explicit
    }

    public subscript(key: String) -> TOMLValue? { values[key] }

    /// The line `key` was defined on, or the table's own line when it is absent.
    public func line(of key: String) -> Int { lines[key] ?? line }

    /// Sets `key`, keeping its position when it already exists.
    public mutating func set(_ key: String, _ value: TOMLValue, line: Int = 0) {
        if values.updateValue(value, forKey: key) == nil {
            keys.append(key)
            lines[key] = line
        }
    }
}
