import Foundation

extension GaussianProcess {
    /// Fits hyperparameters by maximising the log marginal likelihood plus weak priors (gamma-like
    /// on length scales, signal and noise — they keep the fit sane with ten points), from `start`.
    static func fit(x: [Double], y: [Double], dimensions d: Int, categorical: [Bool],
                    start: GPHyperparameters, maxIterations: Int) -> GPHyperparameters {
        let n = y.count
        // Squared per-dimension differences, computed once for every gradient evaluation.
        var diff2 = [Double](repeating: 0, count: n * (n - 1) / 2 * d)
        var p = 0
        for i in 0..<n {
            for j in 0..<i {
                for k in 0..<d {
                    let t = x[i * d + k] - x[j * d + k]
                    diff2[p] = categorical[k] ? (t == 0 ? 0 : 1) : t * t
                    p += 1
                }
            }
        }
        let objective = { (phi: [Double]) -> (value: Double, gradient: [Double]) in
            negativeLogPosterior(phi, diff2: diff2, y: y, n: n, d: d)
        }
        let (lower, upper) = GPHyperparameters.bounds(dimensions: d)
        let best = BoxLBFGS.minimize(objective, start: start.vector, lower: lower, upper: upper,
                                     maxIterations: maxIterations, tolerance: 1e-7)
        return GPHyperparameters(vector: best.x)
    }

    private static func negativeLogPosterior(_ phi: [Double], diff2: [Double], y: [Double], n: Int, d: Int)
        -> (value: Double, gradient: [Double])
    {
        let theta = phi[0..<d].map { exp($0) }
        let signal = exp(phi[d]), noise = exp(phi[d + 1])
        var k = [Double](repeating: 0, count: n * n)
        var rs = [Double](repeating: 0, count: n * (n - 1) / 2)
        var p = 0
        for i in 0..<n {
            k[i * n + i] = signal + noise
            for j in 0..<i {
                var r2 = 0.0
                for m in 0..<d { r2 += theta[m] * diff2[p * d + m] }
                let r = r2.squareRoot()
                rs[p] = r
                let v = signal * matern(r)
                k[i * n + j] = v
                k[j * n + i] = v
                p += 1
            }
        }
        guard let chol = Cholesky(k, n: n) else {
            return (1e10, [Double](repeating: 0, count: d + 2))
        }
        let alpha = chol.solve(y)
        var fit = 0.0
        for i in 0..<n { fit += y[i] * alpha[i] }
        var value = 0.5 * fit + chol.halfLogDeterminant + 0.5 * Double(n) * log(2 * Double.pi)
        // W = ααᵀ − K⁻¹; d(log ML)/dφ = ½ tr(W dK/dφ).
        var w = chol.inverse()
        for i in 0..<n { for j in 0..<n { w[i * n + j] = alpha[i] * alpha[j] - w[i * n + j] } }
        var grad = [Double](repeating: 0, count: d + 2)
        p = 0
        for i in 0..<n {
            for j in 0..<i {
                let r = rs[p]
                let e = exp(-sqrt5 * r)
                let wij = w[i * n + j]  // symmetric: the pair counts twice, times ½
                grad[d] += wij * signal * (1 + sqrt5 * r + 5.0 / 3.0 * r * r) * e
                let q = wij * signal * (-5.0 / 6.0) * (1 + sqrt5 * r) * e
                for m in 0..<d { grad[m] += q * diff2[p * d + m] * theta[m] }
                p += 1
            }
            grad[d] += 0.5 * w[i * n + i] * signal
            grad[d + 1] += 0.5 * w[i * n + i] * noise
        }
        // Priors (log densities, up to constants) and their derivatives in log-parameters.
        var logPrior = 0.0
        for m in 0..<d {
            logPrior += -(0.1 / theta[m] + 0.1 * theta[m])
            grad[m] += 0.1 / theta[m] - 0.1 * theta[m]
        }
        logPrior += log(signal) - signal
        grad[d] += 1 - signal
        logPrior += 0.1 * log(noise) - 30 * noise
        grad[d + 1] += 0.1 - 30 * noise
        value -= logPrior
        return (value, grad.map { -$0 })
    }
}
