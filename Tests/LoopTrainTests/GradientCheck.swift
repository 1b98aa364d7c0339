import LoopSupport
import LoopTrain
import Testing

/// Checks a layer's backward pass against central finite differences of
/// `L(x, θ) = Σ r ⊙ layer(x)` with fixed random `r`, accumulated in `Double`.
///
/// Tolerance: |analytic − numeric| ≤ atol + rtol·|numeric|. Float32 forward passes limit the
/// numeric estimate to roughly 1e-4 absolute at eps = 1e-3.
func gradientCheck(
    _ layer: any Layer, input: Tensor, checkInput: Bool = true, eps: Float = 1e-3,
    atol: Double = 2e-3, rtol: Double = 2e-2, samples: Int = 24,
    beforeForward: () -> Void = {}, sourceLocation: SourceLocation = #_sourceLocation
) {
    beforeForward()
    let y = layer.forward(input, training: true)
    let r = randomTensor(y.shape, seed: 99)
    layer.zeroGradients()
    let dx = layer.backward(r)
    let rs = r.scalars

    func loss(_ x: Tensor) -> Double {
        beforeForward()
        let out = layer.forward(x, training: true).scalars
        return zip(out, rs).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    func check(_ analytic: Float, _ numeric: Double, _ what: String) {
        let err = abs(Double(analytic) - numeric)
        #expect(err <= atol + rtol * abs(numeric), "\(what): analytic \(analytic) numeric \(numeric)",
                sourceLocation: sourceLocation)
    }
    var rng = SeededRandom(seed: 5)
    func indices(_ n: Int) -> [Int] { n <= samples ? Array(0..<n) : (0..<samples).map { _ in rng.nextInt(below: n) } }

    if checkInput {
        for i in indices(input.count) {
            var plus = input, minus = input
            plus[flat: i] += eps; minus[flat: i] -= eps
            check(dx[flat: i], (loss(plus) - loss(minus)) / Double(2 * eps), "d input[\(i)]")
        }
    }
    for p in layer.parameters {
        let grad = p.gradient
        for i in indices(p.value.count) {
            let original = p.value[flat: i]
            p.value[flat: i] = original + eps
            let lp = loss(input)
            p.value[flat: i] = original - eps
            let lm = loss(input)
            p.value[flat: i] = original
            check(grad[flat: i], (lp - lm) / Double(2 * eps), "d \(p.name)[\(i)]")
        }
    }
}

/// Random input of the given shape with no element near zero (keeps ReLU's kink out of the
/// finite-difference stencil).
func awayFromZero(_ shape: [Int], seed: UInt64, scale: Float = 2) -> Tensor {
    var t = randomTensor(shape, seed: seed)
    for i in 0..<t.count {
        let v = t[flat: i] * scale
        t[flat: i] = abs(v) < 0.02 ? (v < 0 ? -0.05 : 0.05) : v
    }
    return t
}
