import LoopSupport

/// Independent uniform draws (log-uniform for `loguniform`).
public struct RandomSampler: Sampler {
    public var name: String { "random" }
    public init() {}

    public func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        var batch = ProposalBatch(history: history, allowRepeat: allowRepeat)
        batch.fill(n, space: space, rng: &rng) { rng, _ in RandomSampler.draw(space, rng: &rng) }
        return batch.configs
    }

    /// One uniform draw; inactive conditional parameters are left out.
    static func draw(_ space: Space, rng: inout SeededRandom) -> Config {
        space.config(fromUnit: unitPoint(space, rng: &rng))
    }

    /// A uniform point in unit coordinates (choice indices for categoricals).
    static func unitPoint(_ space: Space, rng: inout SeededRandom) -> [Double] {
        space.parameters.map { p in
            if case .choice(let values) = p.distribution { return Double(rng.int(below: values.count)) }
            return rng.uniform()
        }
    }
}
