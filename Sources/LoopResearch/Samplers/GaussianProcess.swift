import Foundation

/// Kernel hyperparameters, stored as logs so the fit is unconstrained up to box bounds.
struct GPHyperparameters: Hashable, Sendable {
    /// log(1/ℓ²) per input dimension (automatic relevance determination).
    var logInverseLengthSquared: [Double]
    var logSignal: Double
    var logNoise: Double

    var vector: [Double] { logInverseLengthSquared + [logSignal, logNoise] }
    init(vector v: [Double]) {
        logInverseLengthSquared = Array(v.dropLast(2))
        logSignal = v[v.count - 2]
        logNoise = v[v.count - 1]
    }
    init(dimensions: Int) {
        // Length scale ≈ 0.5 of the unit range, unit signal, small noise (objectives are mostly
        // deterministic; the fit raises the noise when they are not).
        self.init(vector: [Double](repeating: log(4.0), count: dimensions) + [0, log(1e-4)])
    }

    static func bounds(dimensions d: Int) -> (lower: [Double], upper: [Double]) {
        ([Double](repeating: log(1e-3), count: d) + [log(0.05), log(1e-6)],
         [Double](repeating: log(1e4), count: d) + [log(20.0), log(0.5)])
    }
}

/// A Gaussian-process regression model with a Matérn-5/2 ARD kernel over unit coordinates.
///
/// Categorical dimensions enter the distance as 0 (same choice) or 1 (different), scaled by their
/// own length scale, so choices stay unordered. Targets are standardised by the caller.
struct GaussianProcess {
    let n: Int
    let d: Int
    let x: [Double]            // n × d, row-major
    let categorical: [Bool]    // per dimension
    let y: [Double]
    let theta: [Double]        // 1/ℓ² per dimension
    let signal: Double
    let noise: Double
    let cholesky: Cholesky
    let alpha: [Double]        // K⁻¹ y

    static let sqrt5 = 5.0.squareRoot()

    /// `nil` if the kernel matrix cannot be factored even with added jitter.
    init?(x: [Double], y: [Double], dimensions d: Int, categorical: [Bool], hyper: GPHyperparameters) {
        n = y.count
        self.d = d
        self.x = x
        self.y = y
        self.categorical = categorical
        theta = hyper.logInverseLengthSquared.map { exp($0) }
        signal = exp(hyper.logSignal)
        noise = exp(hyper.logNoise)
        var k = GaussianProcess.kernelMatrix(x: x, n: n, d: d, theta: theta, categorical: categorical, signal: signal)
        var jitter = noise
        var factor: Cholesky?
        for _ in 0..<4 {
            for i in 0..<n { k[i * n + i] = signal + jitter }
            factor = Cholesky(k, n: n)
            if factor != nil { break }
            jitter = max(jitter * 10, 1e-8)
        }
        guard let factor else { return nil }
        cholesky = factor
        alpha = factor.solve(y)
    }

    /// Scaled squared distance between a point and row `i` of `x`.
    @inline(__always)
    static func distanceSquared(_ a: UnsafeBufferPointer<Double>, _ aOffset: Int, _ b: UnsafeBufferPointer<Double>,
                                _ bOffset: Int, d: Int, theta: [Double], categorical: [Bool]) -> Double {
        var r2 = 0.0
        for j in 0..<d {
            let diff = a[aOffset + j] - b[bOffset + j]
            r2 += categorical[j] ? (diff == 0 ? 0 : theta[j]) : theta[j] * diff * diff
        }
        return r2
    }

    /// Matérn-5/2 correlation at distance r.
    @inline(__always) static func matern(_ r: Double) -> Double {
        (1 + sqrt5 * r + 5.0 / 3.0 * r * r) * exp(-sqrt5 * r)
    }

    /// Kernel matrix without the noise term on the diagonal.
    static func kernelMatrix(x: [Double], n: Int, d: Int, theta: [Double], categorical: [Bool], signal: Double) -> [Double] {
        var k = [Double](repeating: 0, count: n * n)
        x.withUnsafeBufferPointer { X in
            for i in 0..<n {
                k[i * n + i] = signal
                for j in 0..<i {
                    let r = distanceSquared(X, i * d, X, j * d, d: d, theta: theta, categorical: categorical).squareRoot()
                    let v = signal * matern(r)
                    k[i * n + j] = v
                    k[j * n + i] = v
                }
            }
        }
        return k
    }

    /// Posterior mean and variance at `point`, and their gradients with respect to the numeric
    /// coordinates when `gradient` is set (categorical entries of the gradients are zero).
    func predict(_ point: [Double], gradient: Bool) -> (mean: Double, variance: Double, dMean: [Double], dVariance: [Double]) {
        var kStar = [Double](repeating: 0, count: n)
        var dFactor = gradient ? [Double](repeating: 0, count: n) : []
        point.withUnsafeBufferPointer { P in
            x.withUnsafeBufferPointer { X in
                for i in 0..<n {
                    let r = GaussianProcess.distanceSquared(P, 0, X, i * d, d: d, theta: theta, categorical: categorical).squareRoot()
                    let e = exp(-GaussianProcess.sqrt5 * r)
                    kStar[i] = signal * (1 + GaussianProcess.sqrt5 * r + 5.0 / 3.0 * r * r) * e
                    // d k / d x_j = dFactor · θ_j (x_j − x_ij): Matérn-5/2 is smooth at r = 0.
                    if gradient { dFactor[i] = -signal * 5.0 / 3.0 * (1 + GaussianProcess.sqrt5 * r) * e }
                }
            }
        }
        var mean = 0.0
        for i in 0..<n { mean += kStar[i] * alpha[i] }
        let v = cholesky.solveLower(kStar)
        var variance = signal
        for i in 0..<n { variance -= v[i] * v[i] }
        variance = max(variance, 1e-12 * signal)
        guard gradient else { return (mean, variance, [], []) }
        let w = cholesky.solveUpper(v)
        var dMean = [Double](repeating: 0, count: d), dVariance = [Double](repeating: 0, count: d)
        for j in 0..<d where !categorical[j] {
            var gm = 0.0, gv = 0.0
            for i in 0..<n {
                let dk = dFactor[i] * theta[j] * (point[j] - x[i * d + j])
                gm += alpha[i] * dk
                gv += w[i] * dk
            }
            dMean[j] = gm
            dVariance[j] = -2 * gv
        }
        return (mean, variance, dMean, dVariance)
    }
}
