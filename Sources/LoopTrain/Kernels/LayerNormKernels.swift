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
        ThreadPool.shared.forEachBlock(rows, grain: rowGrain(cols)) { _, block in for r in block {
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
        } }
    }

    /// Rows per block for the row-wise kernels: about `ThreadPool.elementGrain` elements.
    static func rowGrain(_ cols: Int) -> Int { Swift.max(1, ThreadPool.elementGrain / Swift.max(cols, 1)) }

    /// Backward of `layerNorm`. With `xhat = (x − mean)·rstd` and `g = dy·gamma`:
    /// `dx = rstd · (g − mean(g) − xhat · mean(g·xhat))`; `dgamma += Σ_rows dy·xhat`,
    /// `dbeta += Σ_rows dy`.
    ///
    /// Rows are processed in blocks of `rowGrain(cols)` on the pool; each block sums its rows'
    /// `dgamma`/`dbeta` contributions in row order and the block sums are added in block order,
    /// so the result does not depend on the thread count.
    public static func layerNormBackward(
        rows: Int, cols: Int, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
        mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>?
    ) {
        let grain = rowGrain(cols), blocks = (rows + grain - 1) / grain
        if blocks <= 1 {
            layerNormBackwardRows(0..<rows, cols: cols, x: x, gamma: gamma, mean: mean, rstd: rstd, dy: dy, dx: dx,
                                  dgamma: dgamma, dbeta: dbeta)
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * blocks * cols) { scratch in
            let partial = scratch.baseAddress!
            partial.initialize(repeating: 0, count: 2 * blocks * cols)
            ThreadPool.shared.forEachBlock(rows, grain: grain) { b, block in
                layerNormBackwardRows(block, cols: cols, x: x, gamma: gamma, mean: mean, rstd: rstd, dy: dy, dx: dx,
                                      dgamma: partial + b * cols, dbeta: dbeta == nil ? nil : partial + (blocks + b) * cols)
            }
            for b in 0..<blocks {
                add(cols, dgamma, partial + b * cols, dgamma)
                if let dbeta { add(cols, dbeta, partial + (blocks + b) * cols, dbeta) }
            }
        }
    }

    /// `layerNormBackward` for `block` of the rows, adding into `dgamma`/`dbeta` in row order.
    private static func layerNormBackwardRows(
        _ block: Range<Int>, cols: Int, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
        mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>?
    ) {
        let invCols = 1 / Float(cols)
        for r in block {
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
