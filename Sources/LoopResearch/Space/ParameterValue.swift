/// One value a parameter can take. The language layer converts its own values to and from these;
/// keeping the set closed (four cases) lets configurations be hashed, stored and compared exactly.
public enum ParameterValue: Hashable, Sendable, CustomStringConvertible {
    case double(Double)
    case int(Int)
    case string(String)
    case bool(Bool)

    /// The value as a number when it is one (`int` widens to `Double`), else `nil`.
    public var number: Double? {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .string, .bool: return nil
        }
    }

    public var description: String {
        switch self {
        case .double(let d): return "\(d)"
        case .int(let i): return "\(i)"
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

// Literals, so Swift callers (and tests) can write `.choice([32, 64, 128])` or `Config(["act": "relu"])`.
extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral
{
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
