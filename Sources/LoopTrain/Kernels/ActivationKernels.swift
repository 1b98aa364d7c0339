/// The GELU variant: exact, `x·Φ(x)` with the Gaussian CDF through erf (PyTorch's `nn.GELU()`
/// default, and what the reference GPT in the anchors uses), or the tanh approximation
/// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (PyTorch's `approximate='tanh'`, GPT-2's).
public enum GELUApproximation: String, Sendable, Codable {
    case erf
    case tanh
}

/// Vectorised element-wise kernels on raw float buffers (`n` elements; outputs may alias inputs).
/// Each has a plain counterpart in `ReferenceKernels` that the tests compare against.
public enum Kernels {
    /// `y = max(x, 0)`.
    public static func relu(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        map16(n, x, y) { vmax($0, V16()) }
    }

    /// `dx = dy · [x > 0]`.
    public static func reluBackward(_ n: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>) {
        map16(n, x, dy, dx) { x, dy in V16().replacing(with: dy, where: x .> 0) }
    }

    /// `y = tanh(x)`.
    public static func tanh(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        map16(n, x, y) { vtanh($0) }
    }

    /// `dx = dy · (1 − y²)`, from the forward output `y`.
    public static func tanhBackward(_ n: Int, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>) {
        map16(n, y, dy, dx) { y, dy in dy * (1 - y * y) }
    }

    /// `y = 1 / (1 + e^−x)`.
    public static func sigmoid(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        map16(n, x, y) { vsigmoid($0) }
    }

    /// `dx = dy · y · (1 − y)`, from the forward output `y`.
    public static func sigmoidBackward(_ n: Int, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                       dx: UnsafeMutablePointer<Float>) {
        map16(n, y, dy, dx) { y, dy in dy * y * (1 - y) }
    }

    /// `y = GELU(x)`.
    public static func gelu(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            approximation: GELUApproximation = .erf) {
        switch approximation {
        case .erf: map16(n, x, y) { x in 0.5 * x * (1 + verf(x * 0.707_106_78)) }
        case .tanh: map16(n, x, y) { x in 0.5 * x * (1 + vtanh(0.797_884_56 * (x + 0.044_715 * x * x * x))) }
        }
    }

    /// `dx = dy · GELU'(x)`, from the forward input `x`.
    public static func geluBackward(_ n: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>, approximation: GELUApproximation = .erf) {
        switch approximation {
        case .erf:
            // Φ(x) + x·φ(x)
            map16(n, x, dy, dx) { x, dy in
                let cdf = 0.5 * (1 + verf(x * 0.707_106_78))
                let pdf = vexp(-0.5 * x * x) * 0.398_942_28
                return dy * (cdf + x * pdf)
            }
        case .tanh:
            map16(n, x, dy, dx) { x, dy in
                let x2 = x * x
                let t = vtanh(0.797_884_56 * (x + 0.044_715 * x2 * x))
                let du = 0.797_884_56 * (1 + 3 * 0.044_715 * x2)
                return dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du)
            }
        }
    }

    /// `y = e^x`.
    public static func exp(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        map16(n, x, y) { vexp($0) }
    }

    /// `y += alpha · x`.
    public static func axpy(_ n: Int, alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        map16(n, x, UnsafePointer(y), y) { x, y in y + alpha * x }
    }

    /// `z = x + y`.
    public static func add(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>) {
        map16(n, x, y, z) { $0 + $1 }
    }

    /// `z = x · y` (element-wise).
    public static func multiply(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                _ z: UnsafeMutablePointer<Float>) {
        map16(n, x, y, z) { $0 * $1 }
    }

    /// `y = alpha · x`.
    public static func scale(_ n: Int, alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        map16(n, x, y) { $0 * alpha }
    }

    /// Σ x.
    public static func sum(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
        reduce16(n, x) { $0 }
    }

    /// Σ x².
    public static func sumOfSquares(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
        reduce16(n, x) { $0 * $0 }
    }

    /// max x (−∞ when `n` is 0).
    public static func max(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
        max16(n, x)
    }

    /// Adds `bias[j]` to every row of the `rows × cols` matrix `y` (in place).
    public static func addRowVector(rows: Int, cols: Int, _ bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { add(cols, y + r * cols, bias, y + r * cols) }
    }

    /// `out[j] (+)= Σ_r x[r, j]`: column sums (a bias gradient), accumulated over rows in order.
    public static func sumRows(rows: Int, cols: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                               accumulate: Bool) {
        if !accumulate { out.update(repeating: 0, count: cols) }
        for r in 0..<rows { add(cols, out, x + r * cols, out) }
    }
}
