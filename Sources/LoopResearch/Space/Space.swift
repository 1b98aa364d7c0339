/// An ordered set of parameters to search over.
///
/// A space may grow between runs of a study — a new parameter, a new choice, a wider range — and
/// trials recorded against the older space stay usable: a parameter they lack is treated as missing
/// by every sampler, never as an error.
public struct Space: Hashable, Sendable, CustomStringConvertible {
    /// In declaration order; conditions refer only to earlier parameters, so evaluating in this order
    /// decides every parameter's activity.
    public private(set) var parameters: [Parameter]

    /// Builds and validates a space.
    public init(_ parameters: [Parameter]) throws(SpaceError) {
        self.parameters = []
        for p in parameters { try append(p) }
    }

    /// The parameter called `name`, if any.
    public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }

    public var description: String { "{" + parameters.map(\.description).joined(separator: ", ") + "}" }

    /// Number of distinct configurations, or `nil` if some parameter is continuous. Conditional
    /// parameters are counted as if always active (an upper bound).
    public var cardinality: Int? {
        var total = 1
        for p in parameters {
            guard let c = p.distribution.count else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: c)
            if overflow { return nil }
            total = product
        }
        return total
    }

    // MARK: Growth

    /// Adds a parameter at the end. Configurations made before lack it; samplers treat it as missing.
    public mutating func append(_ parameter: Parameter) throws(SpaceError) {
        if parameters.contains(where: { $0.name == parameter.name }) { throw .duplicateParameter(parameter.name) }
        try parameter.validate(after: parameters)
        parameters.append(parameter)
    }

    /// A copy with `parameter` added.
    public func adding(_ parameter: Parameter) throws(SpaceError) -> Space {
        var copy = self
        try copy.append(parameter)
        return copy
    }

    /// A copy where the categorical parameter `name` has one more choice.
    public func addingChoice(_ value: ParameterValue, to name: String) throws(SpaceError) -> Space {
        guard let i = parameters.firstIndex(where: { $0.name == name }) else { throw .unknownParameter(name) }
        guard case .choice(var values) = parameters[i].distribution else { throw .incompatibleChange(parameter: name) }
        values.append(value)
        var copy = self
        copy.parameters[i].distribution = .choice(values)
        try copy.parameters[i].validate(after: Array(copy.parameters[..<i]))
        return copy
    }

    /// Throws unless every configuration valid in `old` is still valid here up to missing new
    /// parameters: nothing removed, ranges only widened, choices only added, conditions unchanged.
    public func checkGrowth(from old: Space) throws(SpaceError) {
        for p in old.parameters {
            guard let q = parameter(named: p.name) else { throw .incompatibleChange(parameter: p.name) }
            if p.condition != q.condition { throw .incompatibleChange(parameter: p.name) }
            let ok: Bool
            switch (p.distribution, q.distribution) {
            case (.uniform(let a, let b), .uniform(let c, let d)), (.logUniform(let a, let b), .logUniform(let c, let d)):
                ok = c <= a && b <= d
            case (.integers(let a, let b, let s), .integers(let c, let d, let t)):
                ok = c <= a && b <= d && s % t == 0 && (a - c) % t == 0
            case (.choice(let old), .choice(let new)):
                ok = Set(old).isSubset(of: Set(new))
            default:
                ok = false
            }
            if !ok { throw .incompatibleChange(parameter: p.name) }
        }
    }

    // MARK: Membership

    /// Whether `config` is a configuration of this space: every active parameter has a value in its
    /// domain, inactive and unknown parameters are absent.
    public func contains(_ config: Config) -> Bool {
        var seen = 0
        for p in parameters {
            let active = p.condition.map { $0.holds(in: config) } ?? true
            let value = config[p.name]
            if !active {
                if value != nil { return false }
                continue
            }
            guard let value, p.distribution.contains(value) else { return false }
            seen += 1
        }
        return seen == config.values.count
    }

    /// Whether `p` is active given the values already decided in `partial`.
    func isActive(_ p: Parameter, in partial: Config) -> Bool {
        p.condition.map { $0.holds(in: partial) } ?? true
    }
}

extension Distribution {
    /// Whether `value` lies in this distribution's domain.
    public func contains(_ value: ParameterValue) -> Bool {
        switch self {
        case .uniform(let a, let b), .logUniform(let a, let b):
            guard case .double(let x) = value else { return false }
            return x >= a && x <= b
        case .integers(let a, let b, let step):
            guard case .int(let k) = value else { return false }
            return k >= a && k <= b && (k - a) % step == 0
        case .choice(let values):
            return values.contains(value)
        }
    }
}
