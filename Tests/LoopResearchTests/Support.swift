import LoopResearch

/// A small mixed space with a conditional parameter, used across the sampler tests.
func mixedSpace() throws -> Space {
    try Space([
        Parameter("lr", .logUniform(low: 1e-4, high: 1e-1)),
        Parameter("hidden", .choice([.int(32), .int(64), .int(128)])),
        Parameter("layers", .integers(low: 1, high: 4, step: 1)),
        Parameter("dropout", .uniform(low: 0, high: 0.5), when: Condition("layers", .greater, .int(1))),
        Parameter("act", .choice([.string("relu"), .string("gelu")])),
        Parameter("bias", .choice([.bool(true), .bool(false)])),
    ])
}

/// A cheap objective over `mixedSpace` (minimised) so model-based samplers have something to learn.
func mixedObjective(_ c: Config) -> Double {
    guard case .double(let lr) = c["lr"], case .int(let layers) = c["layers"] else { return 1e9 }
    var v = (log10(lr) + 2.5) * (log10(lr) + 2.5) + Double(abs(layers - 3))
    if case .double(let dropout) = c["dropout"] { v += (dropout - 0.2) * (dropout - 0.2) }
    if c["act"] == .string("gelu") { v += 0.3 }
    return v
}

/// Runs `trials` sequential proposals of `sampler` on `objective`.
func runStudy(_ sampler: any Sampler, space: Space, trials: Int, seed: UInt64, objective: (Config) -> Double) -> [Observation] {
    var rng = SeededRandom(seed: seed)
    var history: [Observation] = []
    for _ in 0..<trials {
        guard let c = sampler.propose(space: space, history: history, n: 1, rng: &rng).first else { break }
        history.append(Observation(config: c, value: objective(c)))
    }
    return history
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

import Foundation
import LoopSupport
func log10(_ x: Double) -> Double { Foundation.log10(x) }
