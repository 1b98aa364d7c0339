import Foundation
import LoopStore
import LoopTestSupport
import Testing

/// Full-text recall over notes, studies and trials, ranked across kinds (FTS5 on SQLite,
/// tsvector on PostgreSQL).
@Suite(.enabled(if: sharedPostgresStarted)) struct RecallTests {
    func seeded(_ backend: Backend) throws -> (TestStore, Store, Study) {
        let fixture = try TestStore(backend, "recall")
        let store = fixture.store
        let study = try store.openStudy(StudySpec(name: "digits-mlp", description: "small MLP on the digits dataset",
                                                   goalMetric: "accuracy", goalDirection: .maximize))
        try store.openStudy(StudySpec(name: "words-rnn", description: "character RNN on dictionary words"))
        try store.remember("learning rate warmup helped the transformer converge", tags: ["lr", "warmup"])
        try store.remember("dropout above 0.3 hurt accuracy on digits", tags: ["dropout"])
        try store.remember("diverged runs need a lower learning rate", tags: ["lr"])
        let trial = try store.startTrial(studyID: study.id, params: ["lr": 0.5, "optimizer": "sgd"])
        try store.finishTrial(id: trial.id, state: .diverged, error: "loss diverged to NaN at step 40")
        return (fixture, store, study)
    }

    @Test(arguments: Backend.allCases) func mixedKindsRankedByRelevance(_ backend: Backend) throws {
        let (fixture, store, _) = try seeded(backend)
        defer { fixture.close() }
        let hits = try store.recall("diverged")
        #expect(Set(hits.map(\.kind)) == [.trial, .note])
        #expect(hits.count == 2)

        let warmup = try store.recall("learning rate warmup")
        #expect(warmup.first?.kind == .note)
        #expect(warmup.first?.snippet.contains("[warmup]") == true)
        #expect(warmup.map(\.score) == warmup.map(\.score).sorted(by: >))
        #expect(warmup.count == 2, "both learning-rate notes match; the one with every word ranks first")

        // What a person wrote ranks first: notes, then studies, then trials.
        let digits = try store.recall("digits")
        try #require(digits.map(\.kind) == [.note, .study, .trial])
        #expect(digits[1].title == "digits-mlp")
        #expect(digits[2].title == "digits-mlp #0")

        // A trial matches its parameter values, not the parameters' names.
        #expect(try store.recall("sgd").map(\.kind) == [.trial])
        #expect(try store.recall("optimizer").isEmpty)
    }

    @Test(arguments: Backend.allCases) func stemmingPunctuationAndUpdates(_ backend: Backend) throws {
        let (fixture, store, study) = try seeded(backend)
        defer { fixture.close() }
        #expect(try store.recall("diverge").count == 2, "porter stemming")
        #expect(try store.recall("sgd \"lr\": 0.5 -- (OR) NEAR*").contains { $0.kind == .trial }, "no FTS syntax leaks")
        #expect(try store.recall("   ").isEmpty)

        // A trial's entry follows its updates (one entry, current text); deleted notes vanish.
        let trial = try store.startTrial(studyID: study.id, params: ["optimizer": "adam"])
        #expect(try store.recall("adam").map(\.id) == [trial.id])
        try store.finishTrial(id: trial.id, state: .failed, error: "out of memory")
        #expect(try store.recall("memory").map(\.id) == [trial.id])
        #expect(try store.recall("adam").count == 1)
        let note = try store.remember("ephemeral thought")
        try store.forget(noteID: note.id)
        #expect(try store.recall("ephemeral").isEmpty)
        try store.setStopReason(studyID: study.id, "patience")
        #expect(try store.recall("patience").first?.kind == .study)
    }
}
