/// What values a parameter ranges over.
public enum Distribution: Hashable, Sendable, CustomStringConvertible {
    /// Any real in `[low, high]`, uniformly.
    case uniform(low: Double, high: Double)
    /// Any real in `[low, high]`, uniform in `log` (for learning rates, weight decay...). `low > 0`.
    case logUniform(low: Double, high: Double)
    /// `low, low + step, ...` up to `high` (the last point may fall short of `high`).
    case integers(low: Int, high: Int, step: Int)
    /// One of the listed values, unordered.
    case choice([ParameterValue])

    /// Whether the values are ordered numbers (everything except `choice`).
    public var isNumeric: Bool {
        if case .choice = self { return false }
        return true
    }

    /// How many distinct values there are, or `nil` for a continuous range.
    public var count: Int? {
        switch self {
        case .uniform(let a, let b), .logUniform(let a, let b): return a == b ? 1 : nil
        case .integers(let a, let b, let step): return (b - a) / step + 1
        case .choice(let values): return values.count
        }
    }

    public var description: String {
        switch self {
        case .uniform(let a, let b): return "uniform(\(a), \(b))"
        case .logUniform(let a, let b): return "loguniform(\(a), \(b))"
        case .integers(let a, let b, let s): return s == 1 ? "integers(\(a), \(b))" : "integers(\(a), \(b), step: \(s))"
        case .choice(let v): return "choice(" + v.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

/// A named dimension of a search space, optionally active only when `condition` holds.
public struct Parameter: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var distribution: Distribution
    /// `nil`: always active. Otherwise the parameter exists in a configuration only when the
    /// condition holds there (it may only refer to parameters declared before this one).
    public var condition: Condition?

    public init(_ name: String, _ distribution: Distribution, when condition: Condition? = nil) {
        self.name = name
        self.distribution = distribution
        self.condition = condition
    }

    public var description: String {
        "\(name): \(distribution)" + (condition.map { " when \($0)" } ?? "")
    }
}

/// Why a space (or a change to it) was refused. Rendered to prose by the language layer.
public enum SpaceError: Error, Hashable, Sendable {
    case emptyName
    case duplicateParameter(String)
    case emptyChoice(parameter: String)
    case duplicateChoice(parameter: String, value: ParameterValue)
    /// `low > high`, or a bound that is NaN or infinite.
    case invalidBounds(parameter: String, low: Double, high: Double)
    /// `loguniform` needs `low > 0`.
    case nonPositiveLogBound(parameter: String, low: Double)
    case nonPositiveStep(parameter: String, step: Int)
    /// `integers(low, high)` with more values than an Int can count.
    case tooManyValues(parameter: String, low: Int, high: Int)
    /// The condition names a parameter that is not declared before this one.
    case unknownConditionParameter(parameter: String, refersTo: String)
    /// An ordering comparison (`<`, `>`...) against a non-number, or a parameter that is not numeric.
    case nonNumericComparison(parameter: String, condition: Condition)
    case unknownParameter(String)
    /// A change that would make recorded trials invalid (removing or narrowing what they used).
    case incompatibleChange(parameter: String)
}

extension Parameter {
    /// Checks this parameter on its own; `earlier` are the parameters declared before it.
    func validate(after earlier: [Parameter]) throws(SpaceError) {
        if name.isEmpty { throw .emptyName }
        switch distribution {
        case .uniform(let a, let b):
            // The width too: samplers map [low, high] to [0, 1], which an infinite width breaks.
            if !a.isFinite || !b.isFinite || a > b || !(b - a).isFinite { throw .invalidBounds(parameter: name, low: a, high: b) }
        case .logUniform(let a, let b):
            if !a.isFinite || !b.isFinite || a > b { throw .invalidBounds(parameter: name, low: a, high: b) }
            if a <= 0 { throw .nonPositiveLogBound(parameter: name, low: a) }
        case .integers(let a, let b, let step):
            if step <= 0 { throw .nonPositiveStep(parameter: name, step: step) }
            if a > b { throw .invalidBounds(parameter: name, low: Double(a), high: Double(b)) }
            // The samplers count the values (high - low) / step + 1: that must fit in an Int.
            if b.subtractingReportingOverflow(a).overflow || (b - a) / step == Int.max { throw .tooManyValues(parameter: name, low: a, high: b) }
        case .choice(let values):
            if values.isEmpty { throw .emptyChoice(parameter: name) }
            var seen = Set<ParameterValue>()
            for v in values where !seen.insert(v).inserted { throw .duplicateChoice(parameter: name, value: v) }
        }
        guard let condition else { return }
        guard let target = earlier.first(where: { $0.name == condition.parameter }) else {
            throw .unknownConditionParameter(parameter: name, refersTo: condition.parameter)
        }
        switch condition.comparison {
        case .equal, .notEqual: break
        default:
            let numericChoice: Bool
            if case .choice(let values) = target.distribution {
                numericChoice = values.allSatisfy { $0.number != nil }
            } else {
                numericChoice = true
            }
            if condition.value.number == nil || !numericChoice {
                throw .nonNumericComparison(parameter: name, condition: condition)
            }
        }
    }
}
