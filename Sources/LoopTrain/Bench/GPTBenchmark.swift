import LoopSupport

/// Training throughput of a character-level GPT on random tokens, for `looplab bench gpt`.
///
/// Defaults mirror the anchors' "GPT-S" PyTorch run: 2 layers, 4 heads, 64 channels, context 32,
/// batch 32, vocabulary 27, AdamW (lr 1e-3, betas 0.9/0.99, weight decay 0.1). A step is batch
/// sampling, forward, loss, backward and the AdamW update.
public enum GPTBenchmark {
    /// Tokens per second (median of 7 windows of `steps` steps, after a warm-up window).
    public static func run(config: GPTConfig = GPTConfig(vocabulary: 27, context: 32, dimension: 64, layers: 2, heads: 4),
                           batch: Int = 32, steps: Int = 20, threads: Int = ThreadPool.shared.threads) -> Double {
        let pool = ThreadPool.shared
        let previous = pool.activeThreads
        pool.activeThreads = threads
        defer { pool.activeThreads = previous }
        var rng = SeededRandom(seed: 0)
        let tokens = (0..<20_000).map { _ in rng.nextInt(below: config.vocabulary) }
        let model = GPT(config, seed: 1)
        let opt = Adam.adamW(parameters: model.parameters, learningRate: 1e-3, beta2: 0.99, weightDecay: 0.1)
        func window() {
            for _ in 0..<steps {
                let (x, y) = TextData.randomBatch(from: tokens, batch: batch, context: config.context, rng: &rng)
                opt.zeroGradients()
                let (_, grad) = Loss.softmaxCrossEntropy.evaluate(output: model.forward(x, training: true), target: y)
                model.backwardParameters(grad)
                opt.step()
            }
        }
        // Median of 7 timed windows after a warm-up, as every LoopTrain benchmark measures.
        return Double(batch * config.context * steps) / GEMMBenchmark.medianSeconds(minTime: 0, window)
    }
}
