import Foundation

/// log EI for minimisation and its sensitivities, stable far into the tail where EI itself
/// underflows (there the gradient still points somewhere useful).
enum ExpectedImprovement {
    /// log EI at posterior mean `mu`, standard deviation `sigma`, incumbent `best`, with
    /// ∂/∂mu and ∂/∂sigma.
    static func log(mu: Double, sigma: Double, best: Double) -> (value: Double, dMu: Double, dSigma: Double) {
        let z = (best - mu) / sigma
        let (logH, phiOverH, cdfOverH) = logH(z)
        return (Foundation.log(sigma) + logH, -cdfOverH / sigma, phiOverH / sigma)
    }

    /// log h(z) with h(z) = z Φ(z) + φ(z), plus φ(z)/h(z) and Φ(z)/h(z).
    static func logH(_ z: Double) -> (Double, Double, Double) {
        let logPhi = -0.5 * z * z - 0.5 * Foundation.log(2 * Double.pi)
        if z > -6 {
            let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
            let pdf = exp(logPhi)
            let h = max(z * cdf + pdf, 1e-300)
            return (Foundation.log(h), pdf / h, cdf / h)
        }
        // Tail: with t = −z, h = φ(t)(1 − t R(t)) and the Mills ratio R(t) ~ 1/t − 1/t³ + 3/t⁵ − 15/t⁷.
        let t = -z, t2 = t * t
        let oneMinusTR = (1 - 3 / t2 + 15 / (t2 * t2) - 105 / (t2 * t2 * t2)) / t2
        let r = (1 - 1 / t2 + 3 / (t2 * t2) - 15 / (t2 * t2 * t2)) / t
        return (logPhi + Foundation.log(oneMinusTR), 1 / oneMinusTR, r / oneMinusTR)
    }
}
