import Foundation
import LoopSupport

/// Mutate the incumbent: the keep/discard hill-climb. Each proposal is the best configuration so
/// far with a few parameters changed; a better result becomes the new incumbent (keep), a worse one
/// is forgotten (discard).
///
/// Each parameter mutates with probability 1/d (at least one per proposal). Numeric parameters move
/// by a Gaussian step in unit coordinates whose width shrinks while the incumbent stands (the longer
/// nothing improves, the closer to the incumbent it looks) and is reset by every improvement;
/// categorical parameters switch to another choice. Until something has been evaluated, proposals
/// are random.
public struct EvolveSampler: Sampler {
    public var name: String { "evolve" }
    /// Step width (unit coordinates) right after an improvement.
    public var initialStep: Double
    /// Smallest step width.
    public var minimumStep: Double

    public init(initialStep: Double = 0.2, minimumStep: Double = 0.005) {
        self.initialStep = initialStep
        self.minimumStep = minimumStep
    }

    public func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        var batch = ProposalBatch(history: history, allowRepeat: allowRepeat)
        guard let (bestIndex, _) = history.enumerated()
            .compactMap({ i, o in o.value.flatMap { $0.isFinite ? (i, $0) : nil } })
            .min(by: { $0.1 < $1.1 }) else {
            batch.fill(n, space: space, rng: &rng) { rng, _ in RandomSampler.draw(space, rng: &rng) }
            return batch.configs
        }
        let incumbent = space.unitPoint(of: history[bestIndex].config)
        let stale = history.count - 1 - bestIndex
        let d = Double(max(space.parameters.count, 1))
        let step = max(minimumStep, initialStep * pow(0.5, Double(stale) / (2 * d)))
        batch.fill(n, space: space, rng: &rng) { rng, _ in
            var point = incumbent.enumerated().map { i, u in u ?? RandomSampler.unitPoint(space, rng: &rng)[i] }
            let forced = rng.int(below: point.count)
            for (i, p) in space.parameters.enumerated() where i == forced || rng.uniform() < 1 / d {
                if case .choice(let values) = p.distribution {
                    guard values.count > 1 else { continue }
                    let current = Int(point[i])
                    point[i] = Double((current + 1 + rng.int(below: values.count - 1)) % values.count)
                } else {
                    // Reflect at the walls so the incumbent's neighbourhood is sampled symmetrically.
                    var u = point[i] + step * rng.normal()
                    while u < 0 || u > 1 { u = u < 0 ? -u : 2 - u }
                    point[i] = u
                }
            }
            return space.config(fromUnit: point)
        }
        return batch.configs
    }
}
