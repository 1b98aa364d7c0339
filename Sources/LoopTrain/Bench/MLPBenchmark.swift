import LoopSupport

/// Training throughput of an MLP on random data, for `looplab bench mlp`.
///
/// The workload mirrors the anchors' PyTorch measurements: ReLU MLP, softmax cross-entropy,
/// AdamW (lr 1e-3, weight decay 0.01), one full step per batch (forward, loss, backward, update).
public enum MLPBenchmark {
    /// Examples per second (median of 7 windows of `steps` steps each, after a warm-up window).
    public static func run(widths: [Int] = [64, 256, 256, 10], batch: Int = 64, steps: Int = 50,
                           threads: Int = ThreadPool.shared.threads) -> Double {
        precondition(widths.count >= 2)
        let pool = ThreadPool.shared
        let previous = pool.activeThreads
        pool.activeThreads = threads
        defer { pool.activeThreads = previous }
        var rng = SeededRandom(seed: 0)
        let x = Tensor.randn([batch, widths[0]], rng: &rng)
        let classes = widths.last!
        let y = Tensor(shape: [batch], values: (0..<batch).map { _ in Float(rng.nextInt(below: classes)) })
        let model = mlp(inputs: widths[0], hidden: Array(widths.dropFirst().dropLast()), outputs: classes, seed: 1)
        let opt = Adam.adamW(parameters: model.parameters)
        func window() {
            for _ in 0..<steps {
                opt.zeroGradients()
                let out = model.forward(x, training: true)
                let (_, grad) = Loss.softmaxCrossEntropy.evaluate(output: out, target: y)
                model.backwardParameters(grad)
                opt.step()
            }
        }
        // Median of 7 timed windows after a warm-up, as every LoopTrain benchmark measures.
        return Double(batch * steps) / GEMMBenchmark.medianSeconds(minTime: 0, window)
    }
}
