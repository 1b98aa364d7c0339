/// Minimises a smooth function inside a box with limited-memory BFGS directions, projected onto the
/// box (a light stand-in for L-BFGS-B: enough for GP hyperparameters and acquisition maximisation,
/// where a few dozen iterations on a handful of variables suffice).
enum BoxLBFGS {
    /// Returns the best point found and its value. `f` gives value and gradient.
    static func minimize(
        _ f: ([Double]) -> (value: Double, gradient: [Double]),
        start: [Double], lower: [Double], upper: [Double],
        maxIterations: Int, memory: Int = 6, tolerance: Double = 1e-9
    ) -> (x: [Double], value: Double) {
        let d = start.count
        var x = zip(zip(start, lower), upper).map { min(max($0.0, $0.1), $1) }
        var (fx, g) = f(x)
        guard fx.isFinite else { return (x, fx) }
        var sList: [[Double]] = [], yList: [[Double]] = []
        for _ in 0..<maxIterations {
            // Variables pinned at a bound with the gradient pushing outwards stay fixed.
            var free = [Bool](repeating: true, count: d)
            for i in 0..<d where (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) { free[i] = false }
            var q = (0..<d).map { free[$0] ? g[$0] : 0 }
            var alphas = [Double](repeating: 0, count: sList.count)
            for j in stride(from: sList.count - 1, through: 0, by: -1) {
                let rho = 1 / dot(yList[j], sList[j])
                alphas[j] = rho * dot(sList[j], q)
                for i in 0..<d { q[i] -= alphas[j] * yList[j][i] }
            }
            if let s = sList.last, let y = yList.last {
                let gammaScale = dot(s, y) / dot(y, y)
                for i in 0..<d { q[i] *= gammaScale }
            }
            for j in 0..<sList.count {
                let rho = 1 / dot(yList[j], sList[j])
                let beta = rho * dot(yList[j], q)
                for i in 0..<d { q[i] += sList[j][i] * (alphas[j] - beta) }
            }
            var p = (0..<d).map { free[$0] ? -q[$0] : 0 }
            if dot(p, g) >= 0 {  // not a descent direction: fall back to steepest descent
                p = (0..<d).map { free[$0] ? -g[$0] : 0 }
                sList.removeAll(); yList.removeAll()
            }
            if p.allSatisfy({ $0 == 0 }) { break }
            var t = sList.isEmpty ? min(1.0, 1.0 / max(sqrtNorm(p), 1e-12)) : 1.0
            var accepted = false
            var xNew = x, fNew = fx, gNew = g
            for _ in 0..<20 {
                xNew = (0..<d).map { min(max(x[$0] + t * p[$0], lower[$0]), upper[$0]) }
                (fNew, gNew) = f(xNew)
                let decrease = dot(g, zip(xNew, x).map { $0 - $1 })
                if fNew.isFinite && fNew <= fx + 1e-4 * decrease { accepted = true; break }
                t *= 0.5
            }
            if !accepted { break }
            let s = zip(xNew, x).map { $0 - $1 }, y = zip(gNew, g).map { $0 - $1 }
            let improvement = fx - fNew
            x = xNew; fx = fNew; g = gNew
            if dot(s, y) > 1e-12 {
                sList.append(s); yList.append(y)
                if sList.count > memory { sList.removeFirst(); yList.removeFirst() }
            }
            if improvement < tolerance * max(1, abs(fx)) { break }
        }
        return (x, fx)
    }

    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    private static func sqrtNorm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
}
