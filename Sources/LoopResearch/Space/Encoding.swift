import Foundation

// Samplers work in "unit" coordinates: every numeric parameter maps to [0, 1] (log-scaled for
// `logUniform`; integer k of `count` values to the centre of its bucket, (k + 0.5) / count, so a
// uniform draw in [0, 1) picks every integer with equal probability), and a categorical parameter
// to the index of its choice.

extension Distribution {
    /// The unit coordinate of a numeric value, or the choice index of a categorical one; `nil` if
    /// the value is not in the domain (e.g. a choice removed — cannot happen through growth — or a
    /// value of the wrong type).
    func encode(_ value: ParameterValue) -> Double? {
        switch self {
        case .uniform(let a, let b):
            guard let x = value.number, x >= a, x <= b else { return nil }
            return b > a ? (x - a) / (b - a) : 0.5
        case .logUniform(let a, let b):
            guard let x = value.number, x >= a, x <= b else { return nil }
            return b > a ? (log(x) - log(a)) / (log(b) - log(a)) : 0.5
        case .integers(let a, _, let step):
            guard case .int(let k) = value, let count else { return nil }
            let i = (k - a) / step
            guard i >= 0, i < count else { return nil }
            return (Double(i) + 0.5) / Double(count)
        case .choice(let values):
            return values.firstIndex(of: value).map(Double.init)
        }
    }

    /// The value at unit coordinate `u` (clamped to [0, 1]); for `choice`, `u` is the index.
    func decode(_ u: Double) -> ParameterValue {
        switch self {
        case .uniform(let a, let b):
            let t = min(max(u, 0), 1)
            return .double(min(max(a + t * (b - a), a), b))
        case .logUniform(let a, let b):
            let t = min(max(u, 0), 1)
            return .double(min(max(exp(log(a) + t * (log(b) - log(a))), a), b))
        case .integers(let a, _, let step):
            let n = count!
            let i = min(max(Int((u * Double(n)).rounded(.down)), 0), n - 1)
            return .int(a + i * step)
        case .choice(let values):
            return values[min(max(Int(u), 0), values.count - 1)]
        }
    }

    /// Snaps a unit coordinate to what `decode` would produce, so a model sees the point actually
    /// evaluated (integer buckets collapse to their centre).
    func snap(_ u: Double) -> Double {
        switch self {
        case .integers: return encode(decode(u))!
        case .choice: return Double(min(max(Int(u), 0), count! - 1))
        case .uniform, .logUniform: return min(max(u, 0), 1)
        }
    }
}

extension Space {
    /// Decodes one point of unit coordinates (one entry per parameter, in order) into a
    /// configuration, leaving out parameters whose condition does not hold.
    public func config(fromUnit point: [Double]) -> Config {
        var config = Config()
        for (i, p) in parameters.enumerated() where isActive(p, in: config) {
            config[p.name] = p.distribution.decode(point[i])
        }
        return config
    }

    /// Unit coordinates of `config`; `nil` entries for parameters the configuration lacks (inactive,
    /// or added to the space after the configuration was made).
    public func unitPoint(of config: Config) -> [Double?] {
        guard parameters.count <= 16 else {
            return parameters.map { p in config[p.name].flatMap { p.distribution.encode($0) } }
        }
        // Samplers encode every trial on every proposal: for small spaces, matching names by a
        // linear scan (short strings compare in a couple of word compares) beats hashing each key.
        var point = [Double?](repeating: nil, count: parameters.count)
        for (name, value) in config.values {
            for j in parameters.indices where parameters[j].name == name {
                point[j] = parameters[j].distribution.encode(value)
                break
            }
        }
        return point
    }
}

extension Distribution {
    /// The unit coordinate of a value (for `choice`, its index), or nil outside the domain: how
    /// reports and importances place a value on this parameter's axis.
    public func unitCoordinate(of value: ParameterValue) -> Double? { encode(value) }

    /// The value at a unit coordinate (for `choice`, an index), clamped to the domain.
    public func value(atUnit u: Double) -> ParameterValue { decode(u) }
}
