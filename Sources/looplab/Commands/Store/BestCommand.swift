import ArgumentParser
import LoopLab
import LoopStore

/// `looplab best STUDY`: the best complete trial's parameters and metrics.
struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Show a study's best complete trial.")

    @ArgumentParser.Argument(help: "The study's name.") var study: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let db = try store.open()
        let (s, trials) = try store.study(study, in: db)
        guard let (best, mean, runs) = try db.bestConfiguration(studyID: s.id) else {
            print("\(s.name): no complete trial yet (\(trials.count) trials)")
            return
        }
        let value = runs > 1 ? "\(TextTable.number(mean)) (mean of \(runs) runs)" : TextTable.number(mean)
        print("\(s.name): trial \(best.number), \(s.goalDirection.rawValue) \(s.goalMetric ?? "value") = \(value)")
        print("params:  " + StudyExport.describe(best.params))
        print("metrics: " + best.metrics.keys.sorted().map { "\($0)=\(TextTable.number(best.metrics[$0]))" }.joined(separator: " "))
        if let reason = s.stopReason { print("stopped: \(reason)") }
    }
}
