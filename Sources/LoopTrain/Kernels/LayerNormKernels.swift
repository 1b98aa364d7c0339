extension Kernels {
    /// Layer normalisation of each row of a `rows × cols` matrix:
    /// `y = (x − mean) · rstd · gamma + beta`, `rstd = 1/√(var + eps)` (biased variance, as PyTorch).
    /// Saves each row's `mean` and `rstd` for the backward pass. Statistics are two-pass (mean
    /// first), which stays accurate when the mean is large relative to the spread.
    public static func layerNorm(
        rows: Int, cols: Int, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>?,
        eps: Float, y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>
    ) {
        let invCols = 1 / Float(cols)
        for r in 0..<rows {
            let xr = x + r * cols, yr = y + r * cols
            let mu = sum(cols, xr) * invCols
            let muV = V16(repeating: mu)
            let variance = reduce16(cols, xr) { let d = $0 - muV; return d * d } * invCols
            let rs = 1 / (variance + eps).squareRoot()
            mean[r] = mu
            rstd[r] = rs
            let rsV = V16(repeating: rs)
            if let beta {
                map16(cols, xr, gamma, beta, yr) { x, g, b in (x - muV) * rsV * g + b }
            } else {
                map16(cols, xr, gamma, yr) { x, g in (x - muV) * rsV * g }
            }
        }
    }

    /// Backward of `layerNorm`. With `xhat = (x − mean)·rstd` and `g = dy·gamma`:
    /// `dx = rstd · (g − mean(g) − xhat · mean(g·xhat))`; `dgamma += Σ_rows dy·xhat`,
    /// `dbeta += Σ_rows dy` (accumulated in row order, so deterministic).
    public static func layerNormBackward(
        rows: Int, cols: Int, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
        mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>?
    ) {
        let invCols = 1 / Float(cols)
        for r in 0..<rows {
            let xr = x + r * cols, dyr = dy + r * cols, dxr = dx + r * cols
            let mu = V16(repeating: mean[r]), rs = V16(repeating: rstd[r])
            // dx is used as scratch for xhat before it is overwritten with the result.
            map16(cols, xr, dxr) { ($0 - mu) * rs }
            var sumG: Float = 0, sumGX: Float = 0
            do {
                var a = V16(), b = V16()
                var i = 0
                while i + 16 <= cols {
                    let g = load16(dyr + i) * load16(gamma + i)
                    a += g; b += g * load16(dxr + i); i += 16
                }
                sumG = hsum(a); sumGX = hsum(b)
                while i < cols { let g = dyr[i] * gamma[i]; sumG += g; sumGX += g * dxr[i]; i += 1 }
            }
            map16(cols, dyr, UnsafePointer(dxr), dgamma, dgamma) { dy, xhat, dg in dg + dy * xhat }
            if let dbeta { add(cols, dbeta, dyr, dbeta) }
            let mg = V16(repeating: sumG * invCols), mgx = V16(repeating: sumGX * invCols)
            map16(cols, dyr, gamma, UnsafePointer(dxr), dxr) { dy, g, xhat in rs * (dy * g - mg - xhat * mgx) }
        }
    }
}
