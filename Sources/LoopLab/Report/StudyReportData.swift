import Foundation
import LoopResearch
import LoopStore

/// Everything a study report shows, read from the store in one go: the study, its trials and
/// their intermediate values, its notes and `final_eval` looks, and the importances.
struct StudyReportData {
    let study: LoopStore.Study
    let space: Space?
    let trials: [Trial]
    /// Intermediate values by trial id, in step order.
    let reports: [Int64: [(step: Int, value: Double)]]
    let notes: [Note]
    let importances: [(name: String, importance: Double)]

    var maximize: Bool { study.goalDirection == .maximize }
    var metric: String { study.goalMetric ?? "value" }

    /// Complete trials with a value, in number order (repeats included: they are runs too).
    /// Kept, not computed: every chart walks it, and a big study's trials are costly to copy.
    let complete: [Trial]

    init(study: LoopStore.Study, space: Space?, trials: [Trial], reports: [Int64: [(step: Int, value: Double)]],
         notes: [Note], importances: [(name: String, importance: Double)]) {
        self.study = study
        self.space = space
        self.trials = trials
        self.reports = reports
        self.notes = notes
        self.importances = importances
        complete = trials.filter { $0.state == .complete && $0.value != nil }
    }

    /// `importanceTrees` and `importanceLimit` trade the importances' precision for time (the
    /// dashboard, redrawn while a study runs, uses fewer).
    static func load(_ name: String, from store: Store, importanceTrees: Int = 64,
                     importanceLimit: Int = Importance.maxTrials) throws(StoreError) -> StudyReportData? {
        guard let study = try store.study(named: name) else { return nil }
        let trials = try store.trials(studyID: study.id)
        var reports: [Int64: [(step: Int, value: Double)]] = [:]
        for r in try store.reports(studyID: study.id) { if let v = r.value { reports[r.trialID, default: []].append((r.step, v)) } }
        let space = SpaceJSON.decode(study.space)
        var importances: [(name: String, importance: Double)] = []
        if let space {
            // Sampled before the parameters are decoded: decoding all of a big study's trials
            // would cost more than the forest fitted on the sample.
            let done = StudyReportCharts.sample(trials.filter { $0.state == .complete && $0.value != nil && $0.repeatOf == nil },
                                                limit: importanceLimit)
            importances = Importance.fanova(space: space, configs: done.map { ResearchValues.config(fromJSON: $0.params, space: space) },
                                            values: done.map { $0.value! }, trees: importanceTrees, limit: importanceLimit)
        }
        return StudyReportData(study: study, space: space, trials: trials, reports: reports,
                               notes: try store.notes(studyID: study.id), importances: importances)
    }

    /// How many trials ended in each state, in the life cycle's order.
    var counts: [(TrialState, Int)] {
        var n: [TrialState: Int] = [:]
        for t in trials { n[t.state, default: 0] += 1 }
        return TrialState.allCases.compactMap { state in n[state].map { (state, $0) } }
    }

    /// The best complete trial in the goal's direction (the earliest among equals).
    var best: Trial? {
        var best: Trial?
        for t in complete where best == nil || study.goalDirection.isBetter(t.value!, than: best!.value!) { best = t }
        return best
    }
}
