import Foundation
import LoopSupport

/// How hard to search the acquisition function: generous while trials are few (quality), lean once
/// there are many (each proposal must stay well under a millisecond).
struct AcquisitionBudget {
    var randomCandidates: Int
    var localCandidatesPerIncumbent: Int
    var starts: Int
    var iterations: Int
    /// How many of the best trials seed local candidates.
    var incumbents: Int

    init(completed: Int, generousUpTo: Int) {
        if completed <= generousUpTo {
            (randomCandidates, localCandidatesPerIncumbent, starts, iterations, incumbents) = (1024, 48, 6, 40, 5)
        } else {
            (randomCandidates, localCandidatesPerIncumbent, starts, iterations, incumbents) = (64, 16, 2, 10, 3)
        }
    }
}

/// A model of a trial's log seconds: `gp` predicts it standardised, `scale` converts back.
struct CostModel {
    let gp: GaussianProcess
    let scale: Double
}

/// Maximises log expected improvement over a space's unit coordinates — per second when a cost
/// model is given (log EI minus the predicted log seconds).
struct AcquisitionOptimiser {
    let gp: GaussianProcess
    let space: Space
    let best: Double
    let budget: AcquisitionBudget
    let cost: CostModel?
    let numeric: [Int]
    let choices: [(dimension: Int, count: Int)]

    init(gp: GaussianProcess, space: Space, best: Double, budget: AcquisitionBudget, cost: CostModel? = nil) {
        self.gp = gp
        self.cost = cost
        self.space = space
        self.best = best
        self.budget = budget
        numeric = space.parameters.indices.filter { space.parameters[$0].distribution.isNumeric }
        choices = space.parameters.indices.compactMap { i in
            space.parameters[i].distribution.isNumeric ? nil : (i, space.parameters[i].distribution.count!)
        }
    }

    func value(_ point: [Double]) -> Double {
        let p = gp.predict(point, gradient: false)
        let ei = ExpectedImprovement.log(mu: p.mean, sigma: p.variance.squareRoot(), best: best).value
        guard let cost else { return ei }
        return ei - cost.scale * cost.gp.predict(point, gradient: false).mean
    }

    /// Candidate maxima, best first (the caller takes the first one not tried yet).
    func rankedMaxima(incumbents: [[Double]], rng: inout SeededRandom) -> [[Double]] {
        var pool: [[Double]] = []
        for _ in 0..<budget.randomCandidates { pool.append(RandomSampler.unitPoint(space, rng: &rng)) }
        // Around the best trials at several scales: where EI's sharp peaks usually are.
        let scales = [0.2, 0.05, 0.01, 0.002]
        for incumbent in incumbents {
            for k in 0..<budget.localCandidatesPerIncumbent {
                var p = incumbent
                for j in numeric { p[j] = min(max(p[j] + scales[k % scales.count] * rng.normal(), 0), 1) }
                for (j, count) in choices where rng.uniform() < 1 / Double(max(space.parameters.count, 1)) {
                    p[j] = Double(rng.int(below: count))
                }
                for (j, count) in choices where p[j] < 0 { p[j] = Double(rng.int(below: count)) }
                pool.append(p)
            }
        }
        var scored = pool.map { ($0, value($0)) }.sorted { $0.1 > $1.1 }
        var results: [([Double], Double)] = []
        for (start, _) in scored.prefix(budget.starts) {
            var (p, v) = refine(start)
            // Categorical coordinates: try every other choice, keep improvements, re-polish.
            var changed = false
            for (j, count) in choices {
                for c in 0..<count where Double(c) != p[j] {
                    var q = p
                    q[j] = Double(c)
                    let w = value(q)
                    if w > v { (p, v, changed) = (q, w, true) }
                }
            }
            if changed { (p, v) = refine(p) }
            results.append((p, v))
        }
        scored.removeFirst(min(budget.starts, scored.count))
        return (results + scored.prefix(16)).sorted { $0.1 > $1.1 }.map(\.0)
    }

    /// Local ascent of log EI over the numeric coordinates (categorical ones held fixed).
    private func refine(_ start: [Double]) -> ([Double], Double) {
        guard !numeric.isEmpty else { return (start, value(start)) }
        let objective = { (u: [Double]) -> (value: Double, gradient: [Double]) in
            var p = start
            for (k, j) in numeric.enumerated() { p[j] = u[k] }
            let pred = gp.predict(p, gradient: true)
            let sigma = pred.variance.squareRoot()
            let ei = ExpectedImprovement.log(mu: pred.mean, sigma: sigma, best: best)
            var grad = numeric.map { j in -(ei.dMu * pred.dMean[j] + ei.dSigma * pred.dVariance[j] / (2 * sigma)) }
            guard let cost else { return (-ei.value, grad) }
            let c = cost.gp.predict(p, gradient: true)
            for (k, j) in numeric.enumerated() { grad[k] += cost.scale * c.dMean[j] }
            return (-(ei.value - cost.scale * c.mean), grad)
        }
        let lower = [Double](repeating: 0, count: numeric.count), upper = [Double](repeating: 1, count: numeric.count)
        let found = BoxLBFGS.minimize(objective, start: numeric.map { start[$0] }, lower: lower, upper: upper,
                                      maxIterations: budget.iterations, tolerance: 1e-10)
        var p = start
        for (k, j) in numeric.enumerated() { p[j] = found.x[k] }
        return (p, -found.value)
    }
}
