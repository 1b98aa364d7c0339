import Foundation

/// Dense symmetric positive-definite algebra for the Gaussian-process model: small matrices
/// (a few hundred rows at most), row-major, lower-triangular factors.
struct Cholesky {
    let n: Int
    /// Lower factor L with A = L Lᵀ, row-major n × n (upper part zero).
    private(set) var l: [Double]

    /// Factors `a` (row-major, symmetric); `nil` if it is not numerically positive definite.
    init?(_ a: [Double], n: Int) {
        self.n = n
        var l = [Double](repeating: 0, count: n * n)
        let ok = l.withUnsafeMutableBufferPointer { L -> Bool in
            a.withUnsafeBufferPointer { A in
                for i in 0..<n {
                    for j in 0...i {
                        var s = A[i * n + j]
                        let ri = i * n, rj = j * n
                        for k in 0..<j { s -= L[ri + k] * L[rj + k] }
                        if i == j {
                            if !(s > 0) { return false }
                            L[ri + i] = s.squareRoot()
                        } else {
                            L[ri + j] = s / L[rj + j]
                        }
                    }
                }
                return true
            }
        }
        guard ok else { return nil }
        self.l = l
    }

    /// x with L x = b.
    func solveLower(_ b: [Double]) -> [Double] {
        var x = b
        l.withUnsafeBufferPointer { L in
            x.withUnsafeMutableBufferPointer { X in
                for i in 0..<n {
                    var s = X[i]
                    let r = i * n
                    for k in 0..<i { s -= L[r + k] * X[k] }
                    X[i] = s / L[r + i]
                }
            }
        }
        return x
    }

    /// x with Lᵀ x = b.
    func solveUpper(_ b: [Double]) -> [Double] {
        var x = b
        l.withUnsafeBufferPointer { L in
            x.withUnsafeMutableBufferPointer { X in
                for i in stride(from: n - 1, through: 0, by: -1) {
                    var s = X[i]
                    for k in (i + 1)..<max(n, i + 1) { s -= L[k * n + i] * X[k] }
                    X[i] = s / L[i * n + i]
                }
            }
        }
        return x
    }

    /// A⁻¹ b.
    func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }

    /// Σ log L_ii = ½ log det A.
    var halfLogDeterminant: Double {
        var s = 0.0
        for i in 0..<n { s += log(l[i * n + i]) }
        return s
    }

    /// A⁻¹ (row-major, full), from L⁻¹: A⁻¹ = L⁻ᵀ L⁻¹.
    func inverse() -> [Double] {
        var inv = [Double](repeating: 0, count: n * n)  // L⁻¹, lower
        l.withUnsafeBufferPointer { L in
            inv.withUnsafeMutableBufferPointer { M in
                for j in 0..<n {
                    M[j * n + j] = 1 / L[j * n + j]
                    for i in (j + 1)..<max(n, j + 1) {
                        var s = 0.0
                        for k in j..<i { s -= L[i * n + k] * M[k * n + j] }
                        M[i * n + j] = s / L[i * n + i]
                    }
                }
            }
        }
        var out = [Double](repeating: 0, count: n * n)
        inv.withUnsafeBufferPointer { M in
            out.withUnsafeMutableBufferPointer { O in
                for i in 0..<n {
                    for j in 0...i {
                        var s = 0.0
                        for k in i..<n { s += M[k * n + i] * M[k * n + j] }
                        O[i * n + j] = s
                        O[j * n + i] = s
                    }
                }
            }
        }
        return out
    }
}
