#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LoopSupport
import LoopTrain
import Testing

@Suite struct LayerGradientTests {
    @Test(arguments: [(1, 1, 1), (7, 5, 3), (4, 65, 7), (2, 17, 33)])
    func linear(rows: Int, inputs: Int, outputs: Int) {
        var rng = SeededRandom(seed: 1)
        gradientCheck(Linear(inputs: inputs, outputs: outputs, rng: &rng), input: randomTensor([rows, inputs], seed: 2))
        gradientCheck(Linear(inputs: inputs, outputs: outputs, bias: false, rng: &rng),
                      input: randomTensor([rows, 2, inputs], seed: 3))
    }

    @Test func activations() {
        let x = awayFromZero([5, 13], seed: 4)
        gradientCheck(ReLU(), input: x)
        gradientCheck(GELU(), input: x)
        gradientCheck(GELU(approximation: .tanh), input: x)
        gradientCheck(Tanh(), input: x)
        gradientCheck(Sigmoid(), input: x)
    }

    @Test func dropout() {
        var rng = SeededRandom(seed: 6)
        let layer = Dropout(rate: 0.3, rng: &rng)
        let saved = layer.rng
        gradientCheck(layer, input: randomTensor([6, 11], seed: 7), beforeForward: { layer.rng = saved })
        // Inference is the identity; training keeps about 70% of elements, scaled by 1/0.7.
        let x = Tensor(shape: [1000], repeating: 1)
        #expect(layer.forward(x, training: false) == x)
        let y = layer.forward(x, training: true).scalars
        let kept = y.filter { $0 != 0 }
        #expect(abs(Double(kept.count) / 1000 - 0.7) < 0.05)
        #expect(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
    }

    @Test(arguments: [1, 7, 64, 65])
    func layerNorm(features: Int) {
        let ln = LayerNorm(features: features)
        // Non-trivial gain and bias so their gradients matter.
        ln.gamma.value = randomTensor([features], seed: 8)
        ln.beta!.value = randomTensor([features], seed: 9)
        gradientCheck(ln, input: randomTensor([3, features], seed: 10), atol: 3e-3)
        gradientCheck(LayerNorm(features: features, bias: false), input: randomTensor([2, 2, features], seed: 11), atol: 3e-3)
    }

    @Test func embedding() {
        var rng = SeededRandom(seed: 12)
        let emb = Embedding(vocabulary: 9, dimension: 5, rng: &rng)
        let ids = Tensor(shape: [2, 4], values: [0, 3, 3, 8, 1, 0, 3, 2])
        gradientCheck(emb, input: ids, checkInput: false, samples: 45)
        let y = emb.forward(ids, training: false)
        #expect(y.shape == [2, 4, 5])
        #expect(y[flat: 5 * 7 + 2] == emb.weight.value[2, 2])
    }

    @Test func sequentialMLP() {
        for act in Activation.allCases {
            let model = mlp(inputs: 6, hidden: [9, 7], outputs: 4, activation: act, seed: 13)
            #expect(model.parameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
            gradientCheck(model, input: awayFromZero([5, 6], seed: 14, scale: 1))
        }
    }

    /// `backwardParameters` (no input gradient) accumulates exactly what `backward` does.
    @Test func parameterOnlyBackwardMatches() {
        func gradients(parametersOnly: Bool) -> [Tensor] {
            let model = mlp(inputs: 5, hidden: [7, 6], outputs: 3, seed: 3)
            let x = randomTensor([9, 5], seed: 4), dy = randomTensor([9, 3], seed: 5)
            for _ in 0..<2 {  // twice: gradients accumulate
                _ = model.forward(x, training: true)
                if parametersOnly { model.backwardParameters(dy) } else { _ = model.backward(dy) }
            }
            return model.parameters.map(\.gradient)
        }
        let full = gradients(parametersOnly: false)
        #expect(full.allSatisfy { $0.scalars.contains { $0 != 0 } })
        #expect(gradients(parametersOnly: true) == full)
    }

    @Test func losses() {
        let output = randomTensor([6, 4], seed: 15)
        let labels = Tensor(shape: [6], values: [0, 3, 1, 1, 2, 0])
        let target = randomTensor([6, 4], seed: 16)
        let binary = Tensor(shape: [6, 4], values: (0..<24).map { Float($0 % 3 == 0 ? 1 : 0) })
        for (loss, t) in [(Loss.softmaxCrossEntropy, labels), (.meanSquaredError, target), (.binaryCrossEntropy, binary)] {
            let (_, grad) = loss.evaluate(output: output, target: t)
            for i in 0..<output.count {
                var plus = output, minus = output
                plus[flat: i] += 1e-3; minus[flat: i] -= 1e-3
                let numeric = (loss.evaluate(output: plus, target: t).loss - loss.evaluate(output: minus, target: t).loss) / 2e-3
                #expect(abs(Double(grad[flat: i]) - numeric) < 1e-4, "\(loss) d[\(i)]")
            }
        }
        // BCE on logits equals the textbook formula away from saturation.
        let z: Float = 0.7, y: Float = 1
        let bce = Loss.binaryCrossEntropy.evaluate(output: Tensor(shape: [1], values: [z]), target: Tensor(shape: [1], values: [y])).loss
        #expect(abs(bce - -log(Double(ReferenceKernels.sigmoid(z)))) < 1e-6)
    }
}

