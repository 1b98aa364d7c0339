import LoopSupport

/// A strategy that proposes configurations to try next.
///
/// Samplers are deterministic functions of `(space, history, n, rng)`: the same inputs give the
/// same proposals, which is what lets a killed study resume exactly. (The Gaussian-process sampler
/// caches its model between calls for speed; the cache never changes what it proposes.)
public protocol Sampler: Sendable {
    /// Short name as the language spells it (`"tpe"`, `"gp"`...).
    var name: String { get }

    /// Up to `n` configurations of `space`, distinct from each other and, unless `allowRepeat`, from
    /// every configuration in `history`. Fewer than `n` only when a finite space runs out.
    /// `history` may hold configurations from an older, smaller version of `space`.
    func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config]
}

extension Sampler {
    /// Proposals that never repeat a configuration from `history`.
    public func propose(space: Space, history: [Observation], n: Int, rng: inout SeededRandom) -> [Config] {
        propose(space: space, history: history, n: n, allowRepeat: false, rng: &rng)
    }
}

/// The strategies by the names the language uses.
public enum Strategy: String, CaseIterable, Sendable {
    case random, grid, sobol, tpe, evolve, gp
    /// The GP sampler maximising expected improvement per second: it also models each trial's
    /// cost, so cheap promising configurations come first. Without costs (`propose` on a bare
    /// history, objectives timed at zero) it proposes exactly what `gp` does.
    case gpPerSecond = "gp_per_second"

    /// The default: chosen by `ProposeBenchmark` (the GP sampler beats TPE on every objective)
    /// and `looplab bench loop` (per second, the same quality sooner).
    public static let `default`: Strategy = .gpPerSecond

    /// A fresh sampler; `seed` fixes the parts that must stay constant across calls (Sobol's
    /// scrambling, the grid's visiting order).
    public func makeSampler(seed: UInt64 = 0) -> any Sampler {
        switch self {
        case .random: return RandomSampler()
        case .grid: return GridSampler(seed: seed)
        case .sobol: return SobolSampler(seed: seed)
        case .tpe: return TPESampler()
        case .evolve: return EvolveSampler()
        case .gp: return GPSampler()
        case .gpPerSecond: return GPSampler(costAware: true)
        }
    }
}

/// Collects distinct proposals: drops a candidate already tried (unless repeats are allowed) or
/// already in this batch, falling back to uniform random draws when a strategy keeps colliding.
struct ProposalBatch {
    private(set) var configs: [Config] = []
    private var seen: Set<Config>
    private let allowRepeat: Bool

    init(history: [Observation], allowRepeat: Bool) {
        self.allowRepeat = allowRepeat
        seen = allowRepeat ? [] : Set(history.map(\.config))
    }

    /// Adds `config` if new; returns whether it was added.
    @discardableResult
    mutating func add(_ config: Config) -> Bool {
        guard seen.insert(config).inserted else { return false }
        configs.append(config)
        return true
    }

    func isNew(_ config: Config) -> Bool { !seen.contains(config) }

    /// Fills up to `n` with the candidates `next` makes, trying random draws once `next` has
    /// collided too often; gives up after many misses (a finite space is exhausted).
    /// `next` sees a snapshot of the batch so far (its configurations, and what counts as new).
    mutating func fill(_ n: Int, space: Space, rng: inout SeededRandom, next: (inout SeededRandom, ProposalBatch) -> Config?) {
        var misses = 0
        while configs.count < n && misses < 200 {
            let snapshot = self
            let candidate = misses < 20 ? next(&rng, snapshot) : RandomSampler.draw(space, rng: &rng)
            if let candidate, add(candidate) { misses = 0 } else { misses += 1 }
        }
    }
}
