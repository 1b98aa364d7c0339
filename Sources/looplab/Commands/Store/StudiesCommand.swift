import ArgumentParser
import LoopLab
import LoopStore

/// `looplab studies`: every study in the store, how far it got and why it stopped.
struct StudiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studies", abstract: "List the studies in the project store.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let db = try store.open()
        var rows: [[String]] = []
        for s in try db.studies() {
            let trials = try db.trials(studyID: s.id)
            let complete = trials.filter { $0.state == .complete }.count
            let best = try db.bestConfiguration(studyID: s.id)
            rows.append([s.name, "\(s.goalDirection.rawValue) \(s.goalMetric ?? "-")", s.strategy,
                         "\(trials.count)", "\(complete)", TextTable.number(best?.mean), s.stopReason ?? "-"])
        }
        if rows.isEmpty { print("no studies in \(db.location)"); return }
        print(TextTable.render(["study", "goal", "strategy", "trials", "complete", "best", "stop_reason"], rows))
    }
}
