extension Kernels {
    /// Row-wise softmax of a `rows × cols` matrix (`y` may alias `x`), max-subtracted so it never
    /// overflows.
    public static func softmax(rows: Int, cols: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * cols, yr = y + r * cols
            let m = V16(repeating: max16(cols, xr))
            map16(cols, xr, yr) { vexp($0 - m) }
            let inv = 1 / sum(cols, yr)
            scale(cols, alpha: inv, yr, yr)
        }
    }

    /// Fused softmax + cross-entropy over `rows` examples of `classes` logits.
    ///
    /// Returns the mean loss `−(1/rows) Σ log softmax(logits)[label]` (accumulated in `Double`).
    /// When `gradient` is given it receives ∂loss/∂logits = (softmax − onehot(label)) / rows — the
    /// whole backward pass of the pair, computed from the same exponentials as the loss. Labels are
    /// class indices stored as floats.
    @discardableResult
    public static func softmaxCrossEntropy(
        rows: Int, classes: Int, logits: UnsafePointer<Float>, labels: UnsafePointer<Float>,
        gradient: UnsafeMutablePointer<Float>?
    ) -> Double {
        precondition(rows > 0 && classes > 0)
        var total = 0.0
        let invRows = 1 / Float(rows)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: classes) { scratch in
            let e = scratch.baseAddress!
            for r in 0..<rows {
                let z = logits + r * classes
                let label = Int(labels[r])
                precondition(label >= 0 && label < classes, "label \(labels[r]) outside 0..<\(classes)")
                let mv = max16(classes, z)
                let m = V16(repeating: mv)
                let out = gradient.map { $0 + r * classes } ?? e
                map16(classes, z, out) { vexp($0 - m) }
                let s = sum(classes, out)
                total += Double(_logf(s)) + Double(mv) - Double(z[label])
                if gradient != nil {
                    scale(classes, alpha: invRows / s, out, out)
                    out[label] -= invRows
                }
            }
        }
        return total / Double(rows)
    }
}
