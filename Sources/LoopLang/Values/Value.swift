import OrderedCollections

/// A `.loop` value. Lists and records have value semantics (copy on write); functions and host
/// handles are references.
public enum Value: @unchecked Sendable {
    case `nil`
    case bool(Bool)
    case int(Int)
    case float(Double)
    /// A duration in seconds.
    case duration(Double)
    case string(String)
    case list([Value])
    case record(Record)
    /// The integers `lower..<upper` (a closed range is stored half-open).
    case range(Int, Int)
    case function(Function)
    case handle(Handle)
    /// A captured variable's box. Only the runtime sees these, inside frames.
    case cell(Cell)

    @inline(__always) public var isTruthy: Bool {
        switch self {
        case .nil: return false
        case .bool(let b): return b
        default: return true
        }
    }

    /// The name `type(v)` gives.
    public var typeName: String {
        switch self {
        case .nil: return "Nil"
        case .bool: return "Bool"
        case .int: return "Int"
        case .float: return "Float"
        case .duration: return "Duration"
        case .string: return "String"
        case .list: return "List"
        case .record: return "Record"
        case .range: return "Range"
        case .function: return "Function"
        case .handle(let h): return h.type.name
        case .cell(let c): return c.value.typeName
        }
    }

    /// Builds a record value from ordered pairs.
    public static func record(_ pairs: KeyValuePairs<String, Value>) -> Value {
        var fields = OrderedDictionary<String, Value>()
        for (k, v) in pairs { fields[k] = v }
        return .record(Record(fields))
    }

    public static func record(fields: OrderedDictionary<String, Value>) -> Value { .record(Record(fields)) }

    /// A record from fields in order; a later duplicate key replaces the earlier value.
    public static func record(pairs: [(String, Value)]) -> Value {
        var fields = OrderedDictionary<String, Value>()
        for (k, v) in pairs { fields[k] = v }
        return .record(Record(fields))
    }

    /// Int or Float as a Double (nil for anything else).
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: return nil
        }
    }

    /// An Int, or a Float with no fractional part that fits one (what an Int parameter accepts).
    public var wholeNumber: Int? {
        switch self {
        case .int(let i): return i
        case .float(let f) where f == f.rounded() && Swift.abs(f) < 9e18: return Int(f)
        default: return nil
        }
    }
}

/// A record's storage. Shared between copies until one of them changes (copy on write).
public final class Record: @unchecked Sendable {
    public var fields: OrderedDictionary<String, Value>
    public init(_ fields: OrderedDictionary<String, Value> = [:]) { self.fields = fields }
}

/// A variable captured by a closure.
public final class Cell: @unchecked Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}

extension Value {
    /// Runs `body` on this value's list with the list uniquely referenced, so it changes in place.
    @inline(__always)
    mutating func withList<R, E: Error>(_ body: (inout [Value]) throws(E) -> R) throws(E) -> R? {
        guard case .list(var items) = self else { return nil }
        self = .nil
        defer { self = .list(items) }
        return try body(&items)
    }

    /// Runs `body` on this value's record fields, copying the storage first if it is shared.
    @inline(__always)
    mutating func withRecord<R, E: Error>(_ body: (inout OrderedDictionary<String, Value>) throws(E) -> R) throws(E) -> R? {
        guard case .record(var storage) = self else { return nil }
        self = .nil
        if !isKnownUniquelyReferenced(&storage) { storage = Record(storage.fields) }
        defer { self = .record(storage) }
        return try body(&storage.fields)
    }
}
