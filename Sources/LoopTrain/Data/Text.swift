import Foundation
import LoopSupport

/// A character vocabulary: the distinct characters of a text, sorted by Unicode scalar value
/// (so the same text always gives the same ids).
public struct CharVocabulary: Equatable, Sendable, Codable {
    /// The characters, indexed by id.
    public let characters: [Character]
    private let ids: [Character: Int]

    /// The vocabulary of `text`.
    public init(text: String) {
        characters = Array(Set(text)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        ids = Dictionary(uniqueKeysWithValues: characters.enumerated().map { ($1, $0) })
    }

    /// A vocabulary with exactly these characters as ids 0, 1, ...
    public init(characters: [Character]) {
        self.characters = characters
        ids = Dictionary(characters.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public init(from decoder: Decoder) throws {
        self.init(characters: try [String](from: decoder).compactMap(\.first))
    }

    public func encode(to encoder: Encoder) throws {
        try characters.map(String.init).encode(to: encoder)
    }

    public var count: Int { characters.count }

    /// Token ids of `text`; characters outside the vocabulary are dropped.
    public func encode(_ text: String) -> [Int] { text.compactMap { ids[$0] } }

    /// The text of `tokens`; ids outside the vocabulary are skipped.
    public func decode<S: Sequence>(_ tokens: S) -> String where S.Element == Int {
        String(tokens.compactMap { $0 >= 0 && $0 < characters.count ? characters[$0] : nil })
    }
}

/// A tokenised text for language modelling, split into a training and a validation part.
public struct TextData: Sendable {
    public let vocabulary: CharVocabulary
    /// Token ids of the training part.
    public let train: [Int]
    /// Token ids of the validation part.
    public let validation: [Int]

    /// The first `1 − validationFraction` of the text trains, the rest validates (a contiguous
    /// split, as nanoGPT's, so no validation window overlaps the training text).
    public init(text: String, validationFraction: Double = 0.1) {
        vocabulary = CharVocabulary(text: text)
        let tokens = vocabulary.encode(text)
        let cut = Int(Double(tokens.count) * (1 - validationFraction))
        train = Array(tokens[..<cut])
        validation = Array(tokens[cut...])
    }

    /// Already tokenised parts (a split made elsewhere, e.g. by the language's `split`).
    public init(vocabulary: CharVocabulary, train: [Int], validation: [Int]) {
        self.vocabulary = vocabulary
        self.train = train
        self.validation = validation
    }

    /// Reads a UTF-8 text file.
    public init(path: String, validationFraction: Double = 0.1) throws {
        do {
            self.init(text: try String(contentsOfFile: path, encoding: .utf8), validationFraction: validationFraction)
        } catch {
            throw DataError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Where Debian's `wamerican` package puts its word list (one word per line).
    public static let wordsPath = "/usr/share/dict/words"

    /// The built-in `words` corpus: the system word list as one text (90/10 split).
    /// - Throws: `DataError.unreadable` when the list is not installed.
    public static func words(path: String = wordsPath) throws -> TextData {
        try TextData(path: path)
    }

    /// `batch` random windows of `context` tokens from `tokens`: inputs `[batch, context]` and the
    /// next-token targets (the same windows shifted by one).
    public static func randomBatch(from tokens: [Int], batch: Int, context: Int,
                                   rng: inout SeededRandom) -> (inputs: Tensor, targets: Tensor) {
        precondition(tokens.count > context, "text of \(tokens.count) tokens is too short for context \(context)")
        var x = [Float](), y = [Float]()
        x.reserveCapacity(batch * context); y.reserveCapacity(batch * context)
        for _ in 0..<batch {
            let start = rng.nextInt(below: tokens.count - context)
            for i in 0..<context {
                x.append(Float(tokens[start + i]))
                y.append(Float(tokens[start + i + 1]))
            }
        }
        return (Tensor(shape: [batch, context], values: x), Tensor(shape: [batch, context], values: y))
    }

    /// Cross-entropy (nats) of predicting each token from its frequency in `train` alone: the
    /// baseline a language model must beat.
    public func unigramLoss(on tokens: [Int]) -> Double {
        var counts = [Double](repeating: 1, count: vocabulary.count)  // add-one smoothing
        for t in train { counts[t] += 1 }
        let total = counts.reduce(0, +)
        return tokens.reduce(0.0) { $0 - _log(counts[$1] / total) } / Double(max(tokens.count, 1))
    }
}
