import ArgumentParser
import LoopLab
import LoopStore

/// `looplab trials STUDY`: one line per trial.
struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials", abstract: "List a study's trials: number, status, goal value, parameters, error, and an agent's rationale.")

    @ArgumentParser.Argument(help: "The study's name.") var study: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let db = try store.open()
        let (s, trials) = try store.study(study, in: db)
        // A study proposed by agent(...) keeps each proposal's rationale as a note on the trial.
        let rationales = AgentNotes.byTrial(try db.notes(studyID: s.id))
        var header = ["trial", "status", s.goalMetric ?? "value", "params"]
        var rows = trials.map { t in
            [String(t.number), t.state.rawValue, TextTable.number(t.value), StudyExport.describe(t.params) + (t.error.map { " | \($0)" } ?? "")]
        }
        if !rationales.isEmpty {
            header.append("rationale")
            for (i, t) in trials.enumerated() {
                let text = rationales[t.id].map { $0.count > 100 ? String($0.prefix(99)) + "…" : $0 } ?? ""
                rows[i].append(text.replacingOccurrences(of: "\n", with: " "))
            }
        }
        print(TextTable.render(header, rows))
    }
}
