import LoopSupport

/// Sampling options for `generate`.
public struct SamplingOptions: Sendable {
    /// Softmax temperature; 0 means greedy (arg-max).
    public var temperature: Float = 1
    /// Keep only the `topK` most likely tokens (nil: all).
    public var topK: Int? = nil
    /// Keep the smallest set of most likely tokens whose probability reaches `topP` (nil: all).
    public var topP: Float? = nil
    /// OpenAI's penalties: logit −= presence·[count > 0] + frequency·count, counted over the
    /// tokens generated so far.
    public var presencePenalty: Float = 0
    public var frequencyPenalty: Float = 0

    public init(temperature: Float = 1, topK: Int? = nil, topP: Float? = nil, presencePenalty: Float = 0,
                frequencyPenalty: Float = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
    }
}

/// Extends `prompt` by `count` tokens sampled from `model` (the last `context` tokens condition
/// each step). Deterministic for a given seed. `stop` is asked before each token (Ctrl-C): when it
/// says so, the tokens so far are returned.
public func generate(_ model: GPT, prompt: [Int], count: Int, options: SamplingOptions = SamplingOptions(),
                     seed: UInt64, stop: () -> Bool = { false }) -> [Int] {
    var rng = SeededRandom(seed: seed)
    var tokens = prompt.isEmpty ? [0] : prompt
    let v = model.settings.vocabulary
    var generatedCounts = [Int](repeating: 0, count: v)
    for _ in 0..<count {
        if stop() { break }
        let window = Array(tokens.suffix(model.settings.context))
        let logits = model.forward(Tensor(shape: [1, window.count], values: window.map(Float.init)), training: false)
        var z = (0..<v).map { logits[flat: (window.count - 1) * v + $0] }
        for i in 0..<v where generatedCounts[i] > 0 {
            z[i] -= options.presencePenalty + options.frequencyPenalty * Float(generatedCounts[i])
        }
        let next: Int
        if options.temperature <= 0 {
            next = z.indices.max { z[$0] < z[$1] }!
        } else {
            var order = z.indices.sorted { z[$0] > z[$1] }
            if let k = options.topK, k > 0 { order = Array(order.prefix(k)) }
            let m = z[order[0]]
            var p = order.map { Double(_expf((z[$0] - m) / options.temperature)) }
            var total = p.reduce(0, +)
            if let topP = options.topP, topP < 1 {
                var cumulative = 0.0, keep = 0
                while keep < p.count { cumulative += p[keep] / total; keep += 1; if cumulative >= Double(topP) { break } }
                order = Array(order.prefix(keep)); p = Array(p.prefix(keep)); total = p.reduce(0, +)
            }
            var u = rng.nextDouble() * total
            var choice = order.last!
            for (i, w) in zip(order, p) { u -= w; if u < 0 { choice = i; break } }
            next = choice
        }
        tokens.append(next)
        generatedCounts[next] += 1
    }
    return tokens
}
