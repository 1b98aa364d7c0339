import Foundation
import LoopSupport

/// A mixture density over unit coordinates: one product kernel per observation plus a broad prior
/// kernel — the "l(x)" and "g(x)" of TPE.
///
/// Numeric dimensions use Gaussians truncated to [0, 1] whose bandwidths follow the spacing of the
/// observations; categorical dimensions use a smoothed one-hot distribution. A dimension an
/// observation lacks (inactive, or added later) falls back to the prior kernel there.
struct ParzenEstimator {
    let numeric: [Int]       // parameter indices of numeric dimensions
    let categorical: [Int]   // parameter indices of categorical dimensions
    let choiceCounts: [Int]  // per categorical dimension
    var logWeights: [Double] = []
    var weights: [Double] = []
    var mus: [[Double]] = []      // [component][numeric dim]
    var sigmas: [[Double]] = []
    var logNorms: [Double] = []   // per component: sum over numeric dims of the truncated-normal log normaliser
    var logProbs: [[[Double]]] = []  // [component][categorical dim][choice]

    init(points: [[Double?]], weights rawWeights: [Double], space: Space, priorWeight: Double) {
        numeric = space.parameters.indices.filter { space.parameters[$0].distribution.isNumeric }
        categorical = space.parameters.indices.filter { !space.parameters[$0].distribution.isNumeric }
        choiceCounts = categorical.map { space.parameters[$0].distribution.count! }
        let n = points.count
        let dims = space.parameters.count
        // Bandwidth of each kernel from its neighbours along that dimension (the wider gap, the
        // outermost kernels using their inner gap), clipped to [1 / min(100, kernels + 1), 1] — the
        // rule Optuna's TPE uses.
        let minSigma = 1.0 / min(100.0, Double(n + 2))
        var bandwidth = [[Double]](repeating: [Double](repeating: 1, count: dims), count: n)
        for d in numeric {
            let present = (0..<n).filter { points[$0][d] != nil }.sorted { points[$0][d]! < points[$1][d]! }
            let values = [0.0] + present.map { points[$0][d]! } + [1.0]
            for (rank, k) in present.enumerated() {
                let i = rank + 1
                var s = max(values[i] - values[i - 1], values[i + 1] - values[i])
                if present.count >= 2 && rank == 0 { s = values[2] - values[1] }
                if present.count >= 2 && rank == present.count - 1 { s = values[i] - values[i - 1] }
                bandwidth[k][d] = min(max(s, minSigma), 1)
            }
        }

        var w = rawWeights + [priorWeight]
        let total = w.reduce(0, +)
        w = w.map { $0 / total }
        weights = w
        logWeights = w.map { log($0) }
        let catPrior = Double(priorWeight) / Double(n + 1)
        for k in 0...n {
            let point: [Double?] = k < n ? points[k] : Array(repeating: nil, count: dims)
            var mu = [Double](), sg = [Double](), norm = 0.0
            for d in numeric {
                let (m, s) = point[d].map { ($0, bandwidth[k][d]) } ?? (0.5, 1.0)
                mu.append(m)
                sg.append(s)
                let mass = ParzenEstimator.phi((1 - m) / s) - ParzenEstimator.phi(-m / s)
                norm += -log(s) - 0.5 * log(2 * Double.pi) - log(max(mass, 1e-300))
            }
            mus.append(mu)
            sigmas.append(sg)
            logNorms.append(norm)
            logProbs.append(categorical.enumerated().map { j, d in
                let c = choiceCounts[j]
                var p = [Double](repeating: catPrior, count: c)
                if let x = point[d] { p[Int(x)] += 1 } else { p = p.map { _ in 1 } }
                let s = p.reduce(0, +)
                return p.map { log($0 / s) }
            })
        }
    }

    /// Log density at a point (numeric dims in unit coordinates, categorical dims as indices).
    func logDensity(_ x: [Double]) -> Double {
        var terms = [Double](repeating: 0, count: weights.count)
        var top = -Double.infinity
        for k in terms.indices {
            var t = logWeights[k] + logNorms[k]
            for (j, d) in numeric.enumerated() {
                let z = (x[d] - mus[k][j]) / sigmas[k][j]
                t -= 0.5 * z * z
            }
            for (j, d) in categorical.enumerated() { t += logProbs[k][j][Int(x[d])] }
            terms[k] = t
            top = max(top, t)
        }
        var sum = 0.0
        for t in terms { sum += exp(t - top) }
        return top + log(sum)
    }

    /// One draw: pick a component by weight, then each dimension from that component's kernel.
    func sample(dimensions: Int, rng: inout SeededRandom) -> [Double] {
        var u = rng.uniform()
        var k = weights.count - 1
        for (i, w) in weights.enumerated() {
            if u < w { k = i; break }
            u -= w
        }
        var x = [Double](repeating: 0, count: dimensions)
        for (j, d) in numeric.enumerated() {
            let m = mus[k][j], s = sigmas[k][j]
            var v = m + s * rng.normal()
            var tries = 0
            while (v < 0 || v > 1) && tries < 64 { v = m + s * rng.normal(); tries += 1 }
            x[d] = min(max(v, 0), 1)
        }
        for (j, d) in categorical.enumerated() {
            var r = rng.uniform()
            var pick = choiceCounts[j] - 1
            for c in 0..<choiceCounts[j] {
                let p = exp(logProbs[k][j][c])
                if r < p { pick = c; break }
                r -= p
            }
            x[d] = Double(pick)
        }
        return x
    }

    /// Standard normal CDF.
    static func phi(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
}
