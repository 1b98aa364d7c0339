/// One configuration: a value for every parameter that is active in it. Parameters switched off by
/// their condition, and parameters added to a space after the configuration was made, are absent.
public struct Config: Hashable, Sendable, CustomStringConvertible {
    /// Parameter name to value.
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) { self.values = values }

    public subscript(name: String) -> ParameterValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public static func == (a: Config, b: Config) -> Bool { a.values == b.values }

    /// Hashes only the values, combined order-independently: samplers hash every trial of a study
    /// on every proposal, and the default (SipHash of each key and value) dominated proposal time.
    /// Equal configurations still hash equally; the rare collision falls back to `==`.
    public func hash(into hasher: inout Hasher) {
        var sum: UInt64 = 0
        for value in values.values { sum &+= value.cheapHash }
        hasher.combine(values.count)
        hasher.combine(sum)
    }

    public var description: String {
        "{" + values.keys.sorted().map { "\($0): \(values[$0]!)" }.joined(separator: ", ") + "}"
    }
}

/// One finished (or in-flight) evaluation a sampler learns from.
///
/// `value` is the objective to **minimise** (a study negates a maximised metric before handing it
/// over); `nil` means the trial is running or ended without one (failed): it still counts as tried,
/// so it is never proposed again. (A study hands its pruned trials over at the worst complete value.)
/// A non-finite value (NaN, ±∞: a diverged run) counts as tried but teaches the models nothing.
///
/// `cost` is what the evaluation took, in seconds, when known (a completed trial of a study):
/// the cost-aware default strategy learns it beside the value. `pending` marks a trial still
/// running, which model-based samplers place at their own prediction (kriging believer) so a
/// batch spreads out; by default an observation without a value is pending, and a study says
/// which of its valueless trials (failed, interrupted) are over.
public struct Observation: Hashable, Sendable {
    public var config: Config
    public var value: Double?
    public var cost: Double?
    public var pending: Bool

    public init(config: Config, value: Double?, cost: Double? = nil, pending: Bool? = nil) {
        self.config = config
        self.value = value
        self.cost = cost
        self.pending = pending ?? (value == nil)
    }
}

extension ParameterValue {
    /// A fast mix of the value's bits (not a general-purpose hash; see `Config.hash(into:)`).
    var cheapHash: UInt64 {
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        switch self {
        case .double(let d): return mix(d == 0 ? 0 : d.bitPattern)  // +0 and -0 are equal
        case .int(let i): return mix(UInt64(bitPattern: Int64(i)) ^ 0x5555)
        case .bool(let b): return mix(b ? 0xB1 : 0xB0)
        case .string(let s): return UInt64(bitPattern: Int64(s.hashValue))
        }
    }
}
