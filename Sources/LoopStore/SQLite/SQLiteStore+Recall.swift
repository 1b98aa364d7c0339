import Foundation
import GRDB


extension SQLiteStore {
    /// Full-text search over notes, studies (name, description, goal, stop reason) and trials
    /// (state, parameter values, error text). What a person wrote down ranks first: notes, then
    /// studies, then trials, each kind by relevance.
    ///
    /// The query is plain words, not FTS5 syntax: punctuation is ignored and each word is matched
    /// with stemming (`diverge` finds `diverged`). Entries matching more words rank higher.
    public func recall(_ query: String, limit: Int = 20) throws(StoreError) -> [RecallHit] {
        let words = RecallHit.words(query)
        if words.isEmpty { return [] }
        // Quoting makes each word a literal FTS5 string, so user input can never be FTS5 syntax.
        let match = words.map { "\"\($0)\"" }.joined(separator: " OR ")
        return try read("recall \(query)") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT kind, ref, title, snippet(search, 3, '[', ']', '…', 12) AS snippet,
                       bm25(search, 0.0, 0.0, 4.0, 1.0) AS rank
                FROM search WHERE search MATCH ?
                ORDER BY CASE kind WHEN 'note' THEN 0 WHEN 'study' THEN 1 ELSE 2 END, rank LIMIT ?
                """, arguments: [match, limit])
            return rows.compactMap { row in
                guard let kind = RecallKind(rawValue: row["kind"]) else { return nil }
                return RecallHit(kind: kind, id: row["ref"], title: row["title"], snippet: row["snippet"],
                                 score: -(row["rank"] as Double))
            }
        }
    }

}
