import LoopLang
import LoopTrain

/// `generate(model, ...)`: sampling text from a trained gpt.
enum GeneratePrimitives {
    /// The longest sample (and the most samples) one call may ask for: each character is a
    /// forward pass, so a typo such as `max_len: 1e9` would otherwise run for days.
    static let maxLengthLimit = 1_000_000

    /// `generate`'s parameters, each declared once (see `Param`).
    enum Parameters {
        static let model = Param.model(doc: "a gpt trained on text (its characters are the vocabulary)")
        static let prompt = Param.string("prompt", default: "", doc: "the text the sample continues; every character must be in the vocabulary")
        static let n = Param.int("n", default: 1, doc: "how many samples; more than 1 returns a List")
        static let maxLength = Param.int("max_len", default: 200, doc: "characters to sample after the prompt (at most 1,000,000)")
        static let temperature = Param.number("temperature", default: 1, doc: "0 picks the likeliest character; higher is more varied")
        static let topK = Param.optionalInt("top_k", doc: "sample only among the k likeliest characters")
        static let topP = Param.optionalNumber("top_p", doc: "sample only among the likeliest characters whose probabilities sum to p, in (0, 1]")
        static let presencePenalty = Param.number("presence_penalty", default: 0, doc: "subtracted from the logit of every character already generated")
        static let frequencyPenalty = Param.number("frequency_penalty", default: 0, doc: "subtracted once per earlier occurrence of a character")
        static let seed = Param.int("seed", default: 0, doc: "fixes the sample")
        static let list = NativeParameters.list(model, prompt, n, maxLength, temperature, topK, topP, presencePenalty, frequencyPenalty, seed)
    }

    static func register(into registry: Registry) {
        registry.function(
            "generate", Parameters.list,
            doc: "Samples max_len characters after `prompt` from a gpt; returns the prompt plus the sample (a String), or a List of n samples when n > 1."
        ) { call throws(LoopError) in
            try generate(call)
        }
    }

    static func generate(_ call: NativeCall) throws(LoopError) -> Value {
        typealias P = Parameters
        let box = try call[P.model]
        guard let gpt = box.gpt else { throw trainError("generate", "\(box.summary) is not a gpt; only language models generate text") }
        guard let vocabulary = box.vocabulary else {
            throw trainError("generate", "the model has no character vocabulary yet: train it on text first (or build it with gpt(vocab: data))")
        }
        let prompt = try call[P.prompt]
        let n = try call[P.n], maxLength = try call[P.maxLength]
        guard n >= 1 else { throw trainError("generate", "n must be at least 1, got \(n)") }
        guard maxLength >= 0 else { throw trainError("generate", "max_len must not be negative, got \(maxLength)") }
        guard maxLength <= maxLengthLimit else {
            throw trainError("generate", "max_len must be at most \(maxLengthLimit) characters, got \(maxLength)")
        }
        guard n <= maxLengthLimit else { throw trainError("generate", "n must be at most \(maxLengthLimit), got \(n)") }
        let unknown = Set(prompt.filter { !vocabulary.characters.contains($0) })
        guard unknown.isEmpty else {
            let list = unknown.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.map { Printer.repr(.string(String($0))) }
            throw trainError("generate", "the prompt has characters the model never saw: \(list.joined(separator: ", "))")
        }
        var options = SamplingOptions()
        options.temperature = Float(try call[P.temperature])
        options.topK = try call[P.topK]
        options.topP = try call[P.topP].map(Float.init)
        options.presencePenalty = Float(try call[P.presencePenalty])
        options.frequencyPenalty = Float(try call[P.frequencyPenalty])
        if let p = options.topP, !(p > 0 && p <= 1) { throw trainError("generate", "top_p must be in (0, 1], got \(p)") }
        if let k = options.topK, k < 1 { throw trainError("generate", "top_k must be at least 1, got \(k)") }
        guard options.temperature >= 0 else { throw trainError("generate", "temperature must not be negative") }
        let seed = UInt64(truncatingIfNeeded: try call[P.seed])

        // With no prompt, condition on a newline when the text has one (a word or line start),
        // and leave that seed character out of the result.
        var start = vocabulary.encode(prompt)
        var dropFirst = 0
        if start.isEmpty {
            start = [vocabulary.encode("\n").first ?? 0]
            dropFirst = 1
        }
        var samples: [Value] = []
        for i in 0..<n {
            let tokens = LoopTrain.generate(gpt, prompt: start, count: maxLength, options: options, seed: seed &+ UInt64(i),
                                            stop: { Interrupt.isRequested })
            // Ctrl-C (or a trial budget) stops sampling within a character and raises here.
            try Interrupt.check()
            samples.append(.string(vocabulary.decode(tokens.dropFirst(dropFirst))))
        }
        return n == 1 ? samples.first ?? .string(prompt) : .list(samples)
    }
}
