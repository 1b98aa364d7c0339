import ArgumentParser
import LoopLab
import LoopStore

/// `looplab trials STUDY`: one line per trial.
struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials", abstract: "List a study's trials: number, status, goal value, parameters, error.")

    @ArgumentParser.Argument(help: "The study's name.") var study: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let db = try store.open()
        let (s, trials) = try store.study(study, in: db)
        let rows = trials.map { t in
            [String(t.number), t.state.rawValue, TextTable.number(t.value), StudyExport.describe(t.params) + (t.error.map { " | \($0)" } ?? "")]
        }
        print(TextTable.render(["trial", "status", s.goalMetric ?? "value", "params"], rows))
    }
}
