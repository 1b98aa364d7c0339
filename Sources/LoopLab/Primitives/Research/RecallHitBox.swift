import LoopLang
import LoopStore

/// One result of `recall`: prints as what was remembered (a note's text and tags, `key = value`
/// for a key memory, a study's or trial's matching passage), with the details as members.
final class RecallHitBox {
    let hit: RecallHit
    /// The note itself, for a note hit.
    let note: Note?

    init(_ hit: RecallHit, note: Note?) {
        self.hit = hit
        self.note = note
    }

    static let type: HostType = {
        func box(_ o: AnyObject) -> RecallHitBox { o as! RecallHitBox }
        return HostType(
            name: "Recalled", doc: "A note, study or trial that recall found.", summary: { box($0).summary },
            members: [
                "kind": .property(doc: "\"note\", \"study\" or \"trial\".") { .string(box($0).hit.kind.rawValue) },
                "id": .property(doc: "The note's, study's or trial's key in the store.") { .int(Int(box($0).hit.id)) },
                "title": .property(doc: "A key memory's key, a study's name, or `study #number` for a trial.") { .string(box($0).hit.title) },
                "snippet": .property(doc: "The matching passage, matches in [brackets].") { .string(box($0).hit.snippet) },
                "score": .property(doc: "Relevance within its kind (higher is better).") { .float(box($0).hit.score) },
                "text": .property(doc: "A note's full text (nil for other kinds).") { ResearchValues.optional(box($0).note?.text) },
                "tags": .property(doc: "A note's tags ([] for other kinds).") { .list((box($0).note?.tags ?? []).map { .string($0) }) },
                "value": .property(doc: "A key memory's value, else nil.") { box($0).note?.value.map(ResearchValues.value) ?? .nil },
            ])
    }()

    var summary: String {
        let tags = note.map { $0.tags.isEmpty ? "" : "  [" + $0.tags.joined(separator: ", ") + "]" } ?? ""
        switch hit.kind {
        case .note:
            guard let note else { return "note \(hit.id): \(hit.snippet)" }
            if let key = note.key, let value = note.value { return "\(key) = \(Printer.repr(ResearchValues.value(value)))\(tags)" }
            return "\"\(note.text)\"\(tags)"
        case .study: return "study \(hit.title): \(hit.snippet)"
        case .trial: return "trial \(hit.title): \(hit.snippet)"
        }
    }
}
