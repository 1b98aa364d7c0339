/// "Did you mean …?" for every unknown name: variables, members, keyword arguments, CSV columns,
/// skills, studies, REPL commands. One ranking everywhere, so a typo gets the same help whatever
/// it misspelt.
public enum NameSuggestions {
    /// Up to `limit` of `candidates` close to `name`, closest first (ties alphabetically).
    /// Close means an edit distance of at most a third of the name's length (at least 1, at most
    /// 3), compared case-insensitively; the name being a prefix of a candidate (`ep` → `epochs`);
    /// or one being the other's initials (`learning_rate` → `lr`). Nothing is suggested for
    /// one-character names except case changes.
    public static func nearest(to name: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let wanted = Array(name.lowercased())
        let allowed = min(3, max(1, wanted.count / 3))
        var scored: [(name: String, distance: Int)] = []
        var seen = Set<String>()
        let hidden = !name.hasPrefix("_")
        let initials = initialsOf(name)
        for candidate in candidates where candidate != name && seen.insert(candidate).inserted {
            // Private names (`_pad`) are only suggested for names that are private too.
            if hidden && candidate.hasPrefix("_") { continue }
            // `learning_rate` → `lr`, `lr` → `learning_rate`: one spelt out, the other its initials.
            if let initials, initials == candidate.lowercased() { scored.append((candidate, allowed)); continue }
            if let theirs = initialsOf(candidate), theirs == name.lowercased() { scored.append((candidate, allowed)); continue }
            let other = Array(candidate.lowercased())
            // Cheap bound first: the distance is at least the difference in length.
            if abs(other.count - wanted.count) > allowed {
                if wanted.count >= 2, other.starts(with: wanted) { scored.append((candidate, allowed + 1)) }
                continue
            }
            let d = distance(wanted, other, cap: allowed)
            if d <= allowed, wanted.count > 1 || d == 0 {
                scored.append((candidate, d))
            } else if wanted.count >= 2, other.starts(with: wanted) {
                scored.append((candidate, allowed + 1))
            }
        }
        return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(limit).map(\.name)
    }

    /// `learning_rate` → `lr`; nil for a name of one word.
    static func initialsOf(_ name: String) -> String? {
        let words = name.lowercased().split(separator: "_")
        guard words.count >= 2 else { return nil }
        return String(words.compactMap(\.first))
    }

    /// `; did you mean 'lr'?`, `; did you mean 'lr' or 'lrs'?`, or "" when nothing is close.
    public static func clause(for name: String, in candidates: some Sequence<String>, quote: (String) -> String = { "'\($0)'" }) -> String {
        phrase(nearest(to: name, in: candidates), quote: quote)
    }

    /// The clause for suggestions already chosen.
    public static func phrase(_ suggestions: [String], quote: (String) -> String = { "'\($0)'" }) -> String {
        guard !suggestions.isEmpty else { return "" }
        let quoted = suggestions.map(quote)
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return "; did you mean \(list)?"
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
    /// (`coutn` → `count` is one edit), stopping early once every path exceeds `cap` (then some
    /// value above `cap` is returned).
    public static func distance(_ a: [Character], _ b: [Character], cap: Int = .max) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, beforePrevious[j - 2] + 1) }
                current[j] = d
                rowMin = min(rowMin, d)
            }
            if rowMin > cap { return rowMin }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    public static func distance(_ a: String, _ b: String) -> Int { distance(Array(a), Array(b)) }
}
