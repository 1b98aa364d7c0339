import Foundation
import LoopSupport
import LoopTrain
import Testing

@Suite struct TransformerTests {
    @Test func attentionGradients() {
        var rng = SeededRandom(seed: 1)
        let attention = CausalSelfAttention(channels: 8, heads: 2, rng: &rng)
        gradientCheck(attention, input: randomTensor([2, 5, 8], seed: 2), samples: 40)
        let biased = CausalSelfAttention(channels: 6, heads: 3, bias: true, rng: &rng)
        gradientCheck(biased, input: randomTensor([1, 7, 6], seed: 3), samples: 40)
    }

    /// The fused attention kernels against the plain reference, on odd and 16-crossing sizes, with
    /// rows inside a wider buffer (as in the qkv activation) so strides are exercised too.
    @Test(arguments: [1, 7, 16, 17, 33]) func attentionKernelsMatchReference(time t: Int) {
        for d in [1, 7, 16, 17, 33] {
            let stride = 3 * d + 5, outStride = d + 3, scale = 1 / Float(d).squareRoot()
            let buffer = randomTensor([t * stride], seed: UInt64(t * 100 + d)).scalars
            let dOutBuffer = randomTensor([t * outStride], seed: UInt64(t * 100 + d + 1)).scalars
            func rows(_ offset: Int, _ from: [Float], _ step: Int) -> [Float] {
                (0..<t).flatMap { r in from[(r * step + offset)..<(r * step + offset + d)] }
            }
            let (q, k, v) = (rows(0, buffer, stride), rows(d, buffer, stride), rows(2 * d, buffer, stride))
            let dOut = rows(0, dOutBuffer, outStride)
            let expected = ReferenceKernels.attention(t: t, d: d, scale: scale, q: q, k: k, v: v)
            let grads = ReferenceKernels.attentionBackward(t: t, d: d, scale: scale, q: q, k: k, v: v, dOut: dOut)

            let tp = (t + 15) / 16 * 16
            var out = [Float](repeating: 7, count: t * outStride)
            var probabilities = [Float](repeating: 7, count: t * tp)
            var dqkv = [Float](repeating: 7, count: t * stride)
            var scratch = [Float](repeating: .nan, count: Kernels.attentionScratchCount(time: t, dim: d))
            buffer.withUnsafeBufferPointer { x in
                let base = x.baseAddress!
                Kernels.attentionForward(time: t, dim: d, scale: scale, q: base, k: base + d, v: base + 2 * d, stride: stride,
                                         probabilities: &probabilities, out: &out, outStride: outStride, scratch: &scratch)
                dOutBuffer.withUnsafeBufferPointer { g in
                    dqkv.withUnsafeMutableBufferPointer { dx in
                        let dBase = dx.baseAddress!
                        Kernels.attentionBackward(time: t, dim: d, scale: scale, q: base, k: base + d, v: base + 2 * d, stride: stride,
                                                  probabilities: probabilities, dOut: g.baseAddress!, outStride: outStride,
                                                  dq: dBase, dk: dBase + d, dv: dBase + 2 * d, scratch: &scratch)
                    }
                }
            }
            let label = "t=\(t) d=\(d)"
            #expect(maxAbsDifference(rows(0, out, outStride), expected.out) < 1e-5, "\(label) output")
            let kept = (0..<t).flatMap { i in probabilities[(i * tp)..<(i * tp + t)] }
            #expect(maxAbsDifference(kept, expected.probabilities) < 1e-6, "\(label) probabilities")
            #expect((0..<t).allSatisfy { i in probabilities[(i * tp + t)..<((i + 1) * tp)].allSatisfy { $0 == 0 } }, "\(label) padding")
            #expect(maxAbsDifference(rows(0, dqkv, stride), grads.dq) < 1e-5, "\(label) dq")
            #expect(maxAbsDifference(rows(d, dqkv, stride), grads.dk) < 1e-5, "\(label) dk")
            #expect(maxAbsDifference(rows(2 * d, dqkv, stride), grads.dv) < 1e-5, "\(label) dv")
            // Nothing outside the head's rows is written.
            #expect((0..<t).allSatisfy { r in out[(r * outStride + d)..<((r + 1) * outStride)].allSatisfy { $0 == 7 } }, "\(label) out stride")
            #expect((0..<t).allSatisfy { r in dqkv[(r * stride + 3 * d)..<((r + 1) * stride)].allSatisfy { $0 == 7 } }, "\(label) dqkv stride")
        }
    }

    @Test func attentionIsCausal() {
        var rng = SeededRandom(seed: 4)
        let attention = CausalSelfAttention(channels: 8, heads: 2, rng: &rng)
        let x = randomTensor([1, 6, 8], seed: 5)
        var changed = x
        for c in 0..<8 { changed[flat: 5 * 8 + c] += 1 }  // perturb only the last position
        let a = attention.forward(x, training: false), b = attention.forward(changed, training: false)
        #expect(Array(a.scalars[0..<40]) == Array(b.scalars[0..<40]))
        #expect(Array(a.scalars[40...]) != Array(b.scalars[40...]))
    }

    @Test func blockGradients() {
        var rng = SeededRandom(seed: 6)
        let block = TransformerBlock(channels: 8, heads: 2, bias: true, rng: &rng)
        gradientCheck(block, input: randomTensor([2, 4, 8], seed: 7), atol: 3e-3, samples: 30)
        // Blocks stack in a Sequential and survive a checkpoint.
        let stack = Sequential([TransformerBlock(channels: 8, heads: 2, rng: &rng), TransformerBlock(channels: 8, heads: 2, rng: &rng)])
        let restored = try! Checkpoint.decode(Checkpoint.encode(stack))
        let x = randomTensor([1, 3, 8], seed: 8)
        #expect(restored.forward(x, training: false) == stack.forward(x, training: false))
        #expect(restored.parameters.map(\.name) == stack.parameters.map(\.name))
    }

    @Test func gptGradients() {
        let gpt = GPT(GPTConfig(vocabulary: 7, context: 6, dimension: 8, layers: 2, heads: 2), seed: 8)
        let ids = Tensor(shape: [2, 5], values: [0, 3, 6, 1, 1, 2, 5, 4, 0, 6])
        // Larger weights than the 0.02 init, so every path carries gradient the check can see.
        for p in gpt.parameters where p.value.rank == 2 { p.value = randomTensor(p.value.shape, seed: 9) }
        gradientCheck(gpt, input: ids, checkInput: false, atol: 3e-3, samples: 12)
        #expect(gpt.parameters.first!.name == "transformer.wte.weight")
        #expect(gpt.parameters.contains { $0.name == "transformer.h.1.mlp.c_proj.weight" })
    }

    /// Same seed ⇒ bit-identical losses, whatever the number of threads.
    @Test func trainingIsIdenticalAcrossThreadCounts() {
        func losses(threads: Int) -> [Double] {
            let pool = ThreadPool.shared
            let previous = pool.activeThreads
            pool.activeThreads = threads
            defer { pool.activeThreads = previous }
            let model = GPT(GPTConfig(vocabulary: 11, context: 16, dimension: 32, layers: 2, heads: 4), seed: 1)
            let opt = Adam.adamW(parameters: model.parameters, learningRate: 1e-2)
            var rng = SeededRandom(seed: 2)
            let tokens = (0..<500).map { _ in rng.nextInt(below: 11) }
            return (0..<8).map { _ in
                // 48×16 positions: the row-wise and element-wise kernels run in several blocks.
                let (x, y) = TextData.randomBatch(from: tokens, batch: 48, context: 16, rng: &rng)
                opt.zeroGradients()
                let (loss, grad) = Loss.softmaxCrossEntropy.evaluate(output: model.forward(x, training: true), target: y)
                _ = model.backward(grad)
                opt.step()
                return loss
            }
        }
        let one = losses(threads: 1)
        #expect(one == losses(threads: 2))
        #expect(one == losses(threads: 1))
    }

    @Test func charVocabularyRoundTrip() {
        let data = TextData(text: "hello world\nhello there\n", validationFraction: 0.25)
        #expect(data.vocabulary.characters == ["\n", " ", "d", "e", "h", "l", "o", "r", "t", "w"])
        #expect(data.vocabulary.decode(data.vocabulary.encode("hold the word")) == "hold the word")
        #expect(data.train.count + data.validation.count == 24)
    }

    @Test func gptLearnsTextBelowUnigramBaseline() throws {
        // A small text with strong character structure: words from a fixed list in seeded order.
        var rng = SeededRandom(seed: 10)
        let words = ["the", "cat", "sat", "on", "mat", "and", "dog", "ran", "to", "its", "bed"]
        let text = (0..<4000).map { _ in words[rng.nextInt(below: words.count)] }.joined(separator: " ")
        let data = TextData(text: text, validationFraction: 0.1)
        let config = GPTConfig(vocabulary: data.vocabulary.count, context: 16, dimension: 32, layers: 1, heads: 2)
        let model = GPT(config, seed: 11)
        let opt = Adam.adamW(parameters: model.parameters, learningRate: 3e-3, beta2: 0.99, weightDecay: 0.1)
        let history = train(model, on: data, optimizer: opt, steps: 300, batchSize: 16, seed: 12)
        #expect(history.status == .completed && history.steps.count == 300 && history.examples == 300 * 16)
        var evalRng = SeededRandom(seed: 13)
        var total = 0.0
        for _ in 0..<10 {
            let (x, y) = TextData.randomBatch(from: data.validation, batch: 16, context: 16, rng: &evalRng)
            total += Loss.softmaxCrossEntropy.evaluate(output: model.forward(x, training: false), target: y).loss
        }
        let validation = total / 10, baseline = data.unigramLoss(on: data.validation)
        print("gpt: validation loss \(validation) vs unigram \(baseline)")
        #expect(validation < baseline - 0.8)

        // Checkpoint round trip of the trained GPT, then deterministic sampling.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("looptrain-\(getpid())-gpt.safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint.save(model, to: path)
        let loaded = try #require(try Checkpoint.load(from: path).model as? GPT)
        let prompt = data.vocabulary.encode("the ")
        let a = generate(model, prompt: prompt, count: 20, options: SamplingOptions(temperature: 0.8, topK: 5), seed: 1)
        let b = generate(loaded, prompt: prompt, count: 20, options: SamplingOptions(temperature: 0.8, topK: 5), seed: 1)
        #expect(a == b && a.count == prompt.count + 20)
        let greedy = generate(model, prompt: prompt, count: 10, options: SamplingOptions(temperature: 0), seed: 2)
        #expect(greedy == generate(model, prompt: prompt, count: 10, options: SamplingOptions(temperature: 0), seed: 3))
    }
}
