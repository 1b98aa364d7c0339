import ArgumentParser
import LoopStore

/// `looplab recall QUERY`: full-text search over notes, studies and trials.
struct RecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall", abstract: "Search remembered notes, studies and trials (ranked, with stemming).")

    @ArgumentParser.Argument(help: "Words to look for.") var query: [String]
    @Option(help: "At most this many results.") var limit = 10
    @OptionGroup var store: StoreOptions

    func run() throws {
        let db = try store.open()
        let hits = try db.recall(query.joined(separator: " "), limit: limit)
        if hits.isEmpty { print("nothing found"); return }
        print(TextTable.render(["kind", "id", "title", "match"], hits.map { [$0.kind.rawValue, String($0.id), $0.title, $0.snippet] }))
    }
}
