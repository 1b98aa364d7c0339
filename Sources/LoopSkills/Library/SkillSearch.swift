/// A skill that matched a search, with where it lives and how well it matched.
public struct SkillSearchHit: Sendable, Hashable {
    public let name: String
    public let version: SemanticVersion
    public let kind: SkillLibraryKind
    public let pack: String?
    public let path: String
    public let doc: String
    public let signature: String
    /// Higher is better: a query word in the name counts most, then in the doc, then in the source.
    public let score: Int
}

extension SkillLibraryChain {
    /// The latest version of every skill whose name, doc or source contains a word of `query`,
    /// best first. `describe` turns a skill file's source into its definitions (the caller's
    /// parser, so this module needs no language). An empty query lists everything.
    public func search(_ query: String, describe: (String) -> [SkillDefinition]) throws(SkillError) -> [SkillSearchHit] {
        let words = Self.words(query)
        var hits: [SkillSearchHit] = []
        for entry in try entries() {
            let file = entry.latest
            let source = try Files.readText(file.path)
            let definitions = describe(source)
            let definition = definitions.first { $0.name == entry.name } ?? definitions.first
            let doc = definition?.doc ?? ""
            let name = entry.name.lowercased(), lowerDoc = doc.lowercased(), lowerSource = source.lowercased()
            var score = 0
            for word in words {
                if name.contains(word) { score += 10 }
                if lowerDoc.contains(word) { score += 3 }
                if lowerSource.contains(word) { score += 1 }
            }
            guard words.isEmpty || score > 0 else { continue }
            hits.append(SkillSearchHit(name: entry.name, version: file.version, kind: entry.kind, pack: entry.pack,
                                       path: file.path, doc: doc, signature: definition?.signature ?? "\(entry.name)()",
                                       score: score))
        }
        // Stable for equal scores: library order, then name.
        return hits.enumerated().sorted { ($1.element.score, $0.offset) < ($0.element.score, $1.offset) }.map(\.element)
    }

    /// Lower-cased runs of letters, digits and `_`.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
    }
}
