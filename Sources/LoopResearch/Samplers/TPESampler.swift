import Foundation
import LoopSupport

/// Multivariate Tree-structured Parzen Estimator (Bergstra et al. 2011; the joint-kernel variant of
/// Falkner et al. 2018 that Optuna uses by default).
///
/// Completed trials are split into the best `gamma(n)` ("below") and the rest ("above"); a Parzen
/// density is fitted to each, `candidates` points are drawn from the "below" density, and the one
/// maximising `log l(x) − log g(x)` is proposed. Running trials (value `nil`) and the earlier
/// members of the same batch count as "above" (constant liar), which keeps a batch spread out.
/// The first `startupTrials` proposals are random. Recent trials weigh more once there are many.
public struct TPESampler: Sampler {
    public var name: String { "tpe" }
    public var startupTrials: Int
    public var candidates: Int
    public var priorWeight: Double

    public init(startupTrials: Int = 10, candidates: Int = 24, priorWeight: Double = 1.0) {
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.priorWeight = priorWeight
    }

    /// Size of the "below" group among `n` completed trials.
    public static func gamma(_ n: Int) -> Int { min(Int((0.1 * Double(n)).rounded(.up)), 25) }

    public func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        var batch = ProposalBatch(history: history, allowRepeat: allowRepeat)
        let completed = history.indices.filter { history[$0].value?.isFinite == true }
        if completed.count < startupTrials {
            batch.fill(n, space: space, rng: &rng) { rng, _ in RandomSampler.draw(space, rng: &rng) }
            return batch.configs
        }
        let points = history.map { space.unitPoint(of: $0.config) }
        let ranked = completed.sorted { (history[$0].value!, $0) < (history[$1].value!, $1) }
        let nBelow = TPESampler.gamma(completed.count)
        let below = ranked[..<nBelow].sorted()
        let aboveBase = (ranked[nBelow...] + history.indices.filter { history[$0].value == nil }).sorted()
        let l = ParzenEstimator(points: below.map { points[$0] }, weights: TPESampler.weights(below.count),
                                space: space, priorWeight: priorWeight)
        let dims = space.parameters.count

        batch.fill(n, space: space, rng: &rng) { rng, current in
            let abovePoints = aboveBase.map { points[$0] } + current.configs.map { space.unitPoint(of: $0) }
            let g = ParzenEstimator(points: abovePoints, weights: TPESampler.weights(abovePoints.count),
                                    space: space, priorWeight: priorWeight)
            var best: (score: Double, config: Config)?
            for _ in 0..<candidates {
                var x = l.sample(dimensions: dims, rng: &rng)
                for (d, p) in space.parameters.enumerated() { x[d] = p.distribution.snap(x[d]) }
                let config = space.config(fromUnit: x)
                guard current.isNew(config) else { continue }
                let score = l.logDensity(x) - g.logDensity(x)
                if best == nil || score > best!.score { best = (score, config) }
            }
            return best?.config
        }
        return batch.configs
    }

    /// Optuna's default trial weights: flat for the 25 most recent, a ramp from 1/n up for older ones.
    static func weights(_ n: Int) -> [Double] {
        guard n >= 25 else { return [Double](repeating: 1, count: n) }
        let ramp = n - 25
        let rampPart: [Double] = (0..<ramp).map { i in
            ramp == 1 ? 1.0 / Double(n) : 1.0 / Double(n) + (1 - 1.0 / Double(n)) * Double(i) / Double(ramp - 1)
        }
        return rampPart + [Double](repeating: 1, count: 25)
    }
}
