#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ReferenceKernels {
    /// GELU(x) in `Double` through libm's erf / tanh.
    public static func gelu(_ x: Float, approximation: GELUApproximation = .erf) -> Float {
        let v = Double(x)
        switch approximation {
        case .erf: return Float(0.5 * v * (1 + erf(v / 2.0.squareRoot())))
        case .tanh: return Float(0.5 * v * (1 + Glibc_tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v))))
        }
    }

    /// GELU'(x) in `Double`.
    public static func geluDerivative(_ x: Float, approximation: GELUApproximation = .erf) -> Float {
        let v = Double(x)
        switch approximation {
        case .erf:
            return Float(0.5 * (1 + erf(v / 2.0.squareRoot())) + v * Foundation_exp(-0.5 * v * v) / (2 * Double.pi).squareRoot())
        case .tanh:
            let c = (2 / Double.pi).squareRoot()
            let t = Glibc_tanh(c * (v + 0.044715 * v * v * v))
            return Float(0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v))
        }
    }

    /// tanh(x) through libm.
    public static func tanh(_ x: Float) -> Float { Float(Glibc_tanh(Double(x))) }
    /// 1/(1+e^−x) through libm.
    public static func sigmoid(_ x: Float) -> Float { Float(1 / (1 + Foundation_exp(-Double(x)))) }
    /// e^x through libm.
    public static func exp(_ x: Float) -> Float { Float(Foundation_exp(Double(x))) }

    /// Mean softmax cross-entropy and its gradient, one row at a time in `Double`.
    public static func softmaxCrossEntropy(logits: [Float], labels: [Int], classes: Int) -> (loss: Double, gradient: [Float]) {
        let rows = labels.count
        var loss = 0.0
        var grad = [Float](repeating: 0, count: logits.count)
        for r in 0..<rows {
            let z = (0..<classes).map { Double(logits[r * classes + $0]) }
            let m = z.max()!
            let e = z.map { Foundation_exp($0 - m) }
            let s = e.reduce(0, +)
            loss += log(s) + m - z[labels[r]]
            for c in 0..<classes {
                grad[r * classes + c] = Float((e[c] / s - (c == labels[r] ? 1 : 0)) / Double(rows))
            }
        }
        return (loss / Double(rows), grad)
    }

    /// Layer norm of each row, in `Double`.
    public static func layerNorm(_ x: [Float], rows: Int, cols: Int, gamma: [Float], beta: [Float]?, eps: Float) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        for r in 0..<rows {
            let row = (0..<cols).map { Double(x[r * cols + $0]) }
            let mean = row.reduce(0, +) / Double(cols)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(cols)
            let rstd = 1 / (variance + Double(eps)).squareRoot()
            for c in 0..<cols {
                y[r * cols + c] = Float((row[c] - mean) * rstd * Double(gamma[c]) + Double(beta?[c] ?? 0))
            }
        }
        return y
    }
}

// libm names, kept apart from this file's public `tanh`/`exp` members.
@inline(__always) private func Glibc_tanh(_ x: Double) -> Double { _tanh(x) }
@inline(__always) private func Foundation_exp(_ x: Double) -> Double { _exp(x) }
