#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LoopTrain
import Testing

@Suite struct OptimizerTests {
    /// One parameter with a fixed gradient, stepped with `make`, compared against the update rule
    /// written out in scalars.
    func run(_ make: ([ModelParameter]) -> any Optimizer, steps: Int, decays: Bool = true,
             rule: (inout [Double], [Double], Int) -> Void) {
        let n = 37  // a vector body plus a tail
        let p = ModelParameter(name: "w", value: randomTensor([n], seed: 1), decays: decays)
        let grads = (0..<steps).map { randomTensor([n], seed: UInt64(10 + $0)) }
        let opt = make([p])
        var expected = p.value.scalars.map(Double.init)
        for s in 0..<steps {
            p.gradient = grads[s]
            opt.step()
            rule(&expected, grads[s].scalars.map(Double.init), s)
        }
        #expect(maxAbsDifference(p.value.scalars, expected.map(Float.init)) < 1e-5)
    }

    @Test func sgdPlainMomentumNesterov() {
        run({ SGD(parameters: $0, learningRate: 0.1, weightDecay: 0.01) }, steps: 3) { w, g, _ in
            for i in w.indices { w[i] -= 0.1 * (g[i] + 0.01 * w[i]) }
        }
        for nesterov in [false, true] {
            var buf = [Double](repeating: 0, count: 37)
            run({ SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, nesterov: nesterov) }, steps: 4) { w, g, s in
                for i in w.indices {
                    buf[i] = s == 0 ? g[i] : 0.9 * buf[i] + g[i]
                    w[i] -= 0.05 * (nesterov ? g[i] + 0.9 * buf[i] : buf[i])
                }
            }
        }
    }

    @Test func adamAndAdamW() {
        for decoupled in [false, true] {
            var m = [Double](repeating: 0, count: 37), v = m
            run({ Adam(parameters: $0, learningRate: 0.01, weightDecay: 0.1, decoupled: decoupled) }, steps: 5) { w, g0, s in
                let t = Double(s + 1)
                for i in w.indices {
                    var g = g0[i]
                    if decoupled { w[i] *= 1 - 0.01 * 0.1 } else { g += 0.1 * w[i] }
                    m[i] = 0.9 * m[i] + 0.1 * g
                    v[i] = 0.999 * v[i] + 0.001 * g * g
                    let mh = m[i] / (1 - pow(0.9, t)), vh = v[i] / (1 - pow(0.999, t))
                    w[i] -= 0.01 * mh / (vh.squareRoot() + 1e-8)
                }
            }
        }
        // Weight decay skips parameters that do not decay.
        var m = [Double](repeating: 0, count: 37), v = m
        run({ Adam.adamW(parameters: $0, learningRate: 0.01, weightDecay: 0.5) }, steps: 2, decays: false) { w, g, s in
            let t = Double(s + 1)
            for i in w.indices {
                m[i] = 0.9 * m[i] + 0.1 * g[i]; v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                w[i] -= 0.01 * (m[i] / (1 - pow(0.9, t))) / ((v[i] / (1 - pow(0.999, t))).squareRoot() + 1e-8)
            }
        }
    }

    @Test func clipping() {
        let a = ModelParameter(name: "a", value: Tensor(shape: [2])), b = ModelParameter(name: "b", value: Tensor(shape: [1]))
        a.gradient = Tensor(shape: [2], values: [3, 0]); b.gradient = Tensor(shape: [1], values: [4])
        #expect(abs(clipGradientNorm([a, b], maxNorm: 1) - 5) < 1e-9)
        #expect(abs(a.gradient[flat: 0] - 0.6) < 1e-5 && abs(b.gradient[flat: 0] - 0.8) < 1e-5)
        #expect(abs(clipGradientNorm([a, b], maxNorm: 10) - 1) < 1e-5)
        #expect(abs(a.gradient[flat: 0] - 0.6) < 1e-5)
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, step: 50) == 0.1)
        let cos = LearningRateSchedule.cosine(totalSteps: 100)
        #expect(cos.rate(base: 1, step: 0) == 1)
        #expect(abs(cos.rate(base: 1, step: 50) - 0.5) < 1e-6)
        #expect(abs(cos.rate(base: 1, step: 100)) < 1e-6)
        let warm = LearningRateSchedule.warmupCosine(warmupSteps: 10, totalSteps: 110, minFactor: 0.1)
        #expect(abs(warm.rate(base: 1, step: 0) - 0.1) < 1e-6)
        #expect(abs(warm.rate(base: 1, step: 9) - 1) < 1e-6)
        #expect(abs(warm.rate(base: 1, step: 10) - 1) < 1e-6)
        #expect(abs(warm.rate(base: 1, step: 60) - 0.55) < 1e-6)
        #expect(abs(warm.rate(base: 1, step: 110) - 0.1) < 1e-6)
        let step = LearningRateSchedule.step(every: 10, gamma: 0.5)
        #expect(step.rate(base: 1, step: 9) == 1 && step.rate(base: 1, step: 10) == 0.5 && step.rate(base: 1, step: 25) == 0.25)
    }

    @Test func metrics() {
        let logits = Tensor(shape: [3, 2], values: [1, 2, 3, 0, 0, 1])
        #expect(Metrics.accuracy(output: logits, labels: Tensor(shape: [3], values: [1, 0, 0])) == 2.0 / 3)
        #expect(Metrics.accuracy(output: Tensor(shape: [2, 1], values: [0.5, -1]), labels: Tensor(shape: [2], values: [1, 1])) == 0.5)
        let y = Tensor(shape: [4], values: [1, 2, 3, 4])
        #expect(Metrics.r2(output: y, target: y) == 1)
        #expect(Metrics.r2(output: Tensor(shape: [4], repeating: 2.5), target: y) == 0)
        #expect(Metrics.meanSquaredError(output: Tensor(shape: [4]), target: y) == 7.5)
        #expect(abs(Metrics.bitsPerCharacter(crossEntropy: 0.6931471805599453) - 1) < 1e-12)
    }
}
