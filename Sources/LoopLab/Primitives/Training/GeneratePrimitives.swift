import LoopLang
import LoopTrain

/// `generate(model, ...)`: sampling text from a trained gpt.
enum GeneratePrimitives {
    /// The longest sample (and the most samples) one call may ask for: each character is a
    /// forward pass, so a typo such as `max_len: 1e9` would otherwise run for days.
    static let maxLengthLimit = 1_000_000

    static func register(into registry: Registry) {
        registry.function(
            "generate",
            [NativeParameter("model"), NativeParameter("prompt", default: .string("")), NativeParameter("n", default: .int(1)),
             NativeParameter("max_len", default: .int(200)), NativeParameter("temperature", default: .float(1)),
             .optional("top_k"), .optional("top_p"), NativeParameter("presence_penalty", default: .float(0)),
             NativeParameter("frequency_penalty", default: .float(0)), NativeParameter("seed", default: .int(0))],
            doc: "Samples max_len characters after `prompt` from a gpt; returns the prompt plus the sample (a String), or a List of n samples when n > 1."
        ) { call throws(LoopError) in
            try generate(call)
        }
    }

    static func generate(_ call: NativeCall) throws(LoopError) -> Value {
        let box = try call.model()
        guard let gpt = box.gpt else { throw trainError("generate", "\(box.summary) is not a gpt; only language models generate text") }
        guard let vocabulary = box.vocabulary else {
            throw trainError("generate", "the model has no character vocabulary yet: train it on text first (or build it with gpt(vocab: data))")
        }
        let prompt = try call.string("prompt")
        let n = try call.int("n"), maxLength = try call.int("max_len")
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
        options.temperature = Float(try call.double("temperature"))
        options.topK = try call.optionalInt("top_k")
        options.topP = try call.optionalDouble("top_p").map(Float.init)
        options.presencePenalty = Float(try call.double("presence_penalty"))
        options.frequencyPenalty = Float(try call.double("frequency_penalty"))
        if let p = options.topP, !(p > 0 && p <= 1) { throw trainError("generate", "top_p must be in (0, 1], got \(p)") }
        if let k = options.topK, k < 1 { throw trainError("generate", "top_k must be at least 1, got \(k)") }
        guard options.temperature >= 0 else { throw trainError("generate", "temperature must not be negative") }
        let seed = UInt64(truncatingIfNeeded: try call.int("seed"))

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
