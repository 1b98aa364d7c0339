/// When a conditional parameter is active: `parameter comparison value`, e.g. `layers > 1`.
///
/// Stored as data (not a closure) so a study can persist it, show it, and re-evaluate it after a
/// restart.
public struct Condition: Hashable, Sendable, CustomStringConvertible {
    /// How the other parameter's value is compared with `value`.
    public enum Comparison: String, Hashable, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// The parameter whose value decides.
    public var parameter: String
    public var comparison: Comparison
    public var value: ParameterValue

    public init(_ parameter: String, _ comparison: Comparison, _ value: ParameterValue) {
        self.parameter = parameter
        self.comparison = comparison
        self.value = value
    }

    /// Whether the condition holds in `config`. A missing (inactive) parameter never satisfies a
    /// condition, so a chain of conditionals switches off together.
    public func holds(in config: Config) -> Bool {
        guard let actual = config[parameter] else { return false }
        switch comparison {
        case .equal: return Condition.equal(actual, value)
        case .notEqual: return !Condition.equal(actual, value)
        default:
            // Ordering only makes sense between numbers; a non-numeric side means "does not hold".
            guard let a = actual.number, let b = value.number else { return false }
            switch comparison {
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            case .equal, .notEqual: return false
            }
        }
    }

    /// `int(2) == double(2.0)`: the language may hand either for the same number.
    private static func equal(_ a: ParameterValue, _ b: ParameterValue) -> Bool {
        if let x = a.number, let y = b.number { return x == y }
        return a == b
    }

    public var description: String { "\(parameter) \(comparison.rawValue) \(value)" }
}
