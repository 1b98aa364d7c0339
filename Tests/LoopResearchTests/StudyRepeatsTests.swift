import LoopResearch
import Testing

/// `repeats`: after the search stops, the finalists run again; guardrails and the sampler ignore
/// repeats; `best` is the finalist with the best mean; a crash mid-repeats resumes.
@Suite struct StudyRepeatsTests {
    func declaration(repeats: Int, finalists: Int? = nil, maxTrials: Int = 5) throws -> StudyDeclaration {
        StudyDeclaration(name: "r", space: try Space([Parameter("x", .uniform(low: 0, high: 1))]), goal: .minimize("loss"),
                         strategy: .random, seed: 3, guardrails: Guardrails(maxTrials: maxTrials),
                         repeats: repeats, finalists: finalists)
    }

    @Test func finalistsRepeatAndTheMeanDecides() throws {
        let store = InMemoryStudyStore()
        let study = try Study(try declaration(repeats: 2, finalists: 2), store: store, now: { 0 })
        var started: [StudyTrial] = []
        while let t = try study.next() {
            started.append(t)
            // The best single run (lowest x) is unlucky on its repeats: the runner-up wins on the mean.
            let x = t.config["x"]!.number!
            let lowest = started.filter { !$0.isRepeat }.map { $0.config["x"]!.number! }.min()!
            let loss = t.isRepeat && x == lowest ? x + 1 : x
            try study.complete(t.id, metrics: ["loss": loss])
        }
        #expect(study.stopReason == .maxTrials)
        #expect(started.count == 5 + 4)
        let finalists = study.finalists
        #expect(finalists.count == 2)
        let repeats = started.filter(\.isRepeat)
        #expect(repeats.map(\.repeatOf) == [finalists[0].number, finalists[0].number, finalists[1].number, finalists[1].number])
        #expect(repeats.map(\.repeatIndex) == [1, 2, 1, 2])
        #expect(study.best?.number == finalists[1].number)
        #expect(study.runs(of: finalists[0]).count == 3)
        #expect(Set(started.map { study.seed(of: $0) }).count == started.count)
        // The sampler and the guardrails saw only the five proposals.
        #expect(study.observations().count == 5)
    }

    @Test func aCrashDuringRepeatsResumesThem() throws {
        let store = InMemoryStudyStore()
        let first = try Study(try declaration(repeats: 3, finalists: 1), store: store, now: { 0 })
        var n = 0
        while let t = try first.next() {
            n += 1
            if n == 7 { break }  // the second repeat is running when the process dies
            try first.complete(t.id, metrics: ["loss": t.config["x"]!.number!])
        }
        store.simulateCrash()
        let second = try Study(try declaration(repeats: 3, finalists: 1), store: store, now: { 0 })
        var rerun: [StudyTrial] = []
        while let t = try second.next() {
            rerun.append(t)
            try second.complete(t.id, metrics: ["loss": t.config["x"]!.number!])
        }
        #expect(rerun.map(\.repeatIndex) == [2, 3])
        #expect(rerun.allSatisfy { $0.repeatOf == second.finalists[0].number })
        #expect(second.runs(of: second.finalists[0]).count == 4)
    }
}
