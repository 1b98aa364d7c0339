import Foundation

/// What a recall hit points at.
public enum RecallKind: String, Sendable, Codable, CaseIterable {
    case note, study, trial
}

/// One ranked result of ``Store/recall(_:limit:)``.
public struct RecallHit: Sendable, Hashable {
    public var kind: RecallKind
    /// The id of the note, study or trial.
    public var id: Int64
    /// The note's key, the study's name, or `study #number` for a trial.
    public var title: String
    /// The matching passage, matches in `[brackets]`.
    public var snippet: String
    /// Higher is more relevant (negated BM25, titles weighted over bodies).
    public var score: Double

    public init(kind: RecallKind, id: Int64, title: String, snippet: String, score: Double) {
        self.kind = kind
        self.id = id
        self.title = title
        self.snippet = snippet
        self.score = score
    }
}

extension RecallHit {
    /// The words of a query: runs of letters and digits, lower-cased.
    public static func words(_ query: String) -> [String] {
        query.lowercased()
            .split { !($0.isLetter || $0.isNumber || $0 == "_") }
            .map(String.init)
    }
}
