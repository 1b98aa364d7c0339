import Foundation
import LoopLang
import LoopStore
import Testing

/// `train(model, data, ..., trial: t)`: every curve point is an intermediate value of the trial,
/// and the study's pruner stops the run inside one `train` call (Optuna's pruning callbacks).
struct TrainTrialTests {
    @Test func thePrunerStopsBadRunsAndMarksTheirTrialsPruned() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        // Every third trial learns nothing (lr 1e-5); the others learn. Once four trials have
        // completed, a run whose validation accuracy is below their median is pruned.
        let out = try store.run("""
        let parts = split(dataset("spirals", n: 600, seed: 0), train: 0.8, val: 0.2, seed: 0)
        let st = study("pr", space: space {x: uniform(0.0, 1.0)}, goal: maximize("accuracy"), strategy: "random",
                       max_trials: 9, pruner: "median")
        for t in st {
          let lr = if t.number % 3 == 2 { 0.00001 } else { 0.02 }
          let m = mlp(parts, hidden: [32], seed: 0)
          let r = train(m, parts, epochs: 8, lr: lr, trial: t, progress: false)
          remember(t, {accuracy: eval(m, parts.val).accuracy})   # keeps a pruned trial pruned
          print(t.number, lr == 0.02, r.status, r.curve.count, t.status)
        }
        """)
        #expect(out == """
            0 true completed 8 complete
            1 true completed 8 complete
            2 false completed 8 complete
            3 true completed 8 complete
            4 true completed 8 complete
            5 false pruned 1 pruned
            6 true completed 8 complete
            7 true completed 8 complete
            8 false pruned 1 pruned

            """)
        let db = try Store(path: store.path)
        defer { try? db.close() }
        let trials = try db.trials(studyID: try #require(try db.study(named: "pr")).id)
        // Each curve point was reported as the goal measured on validation data.
        for t in trials {
            let reports = try db.reports(trialID: t.id)
            #expect(reports.map(\.step) == Array(1...(t.state == .pruned ? 1 : 8)))
        }
        #expect(trials[5].error?.hasPrefix("pruned by the study's pruner at evaluation 1 (val_accuracy ") == true)
    }

    @Test func aGoalTrainCannotMeasureIsRefusedBeforeTraining() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let data = dataset("spirals", n: 200, seed: 0)
        let st = study("g", space: space {x: uniform(0.0, 1.0)}, goal: maximize("accuracy"), max_trials: 1)
        for t in st {
          let m = mlp(data, hidden: [8], seed: 0)
          print(try { train(m, data, epochs: 1, trial: t, progress: false) } catch e { e.message })
          print(try { train(m, data, epochs: 1, trial: 3, progress: false) } catch e { e.message })
          remember(t, {accuracy: 0.5})
          print(try { train(m, data, epochs: 1, trial: t, progress: false) } catch e { e.message })
        }
        """)
        #expect(out == """
            train: with trial: t, train reports the study's goal 'accuracy' at every evaluation, but its curve has only loss; give validation data (val: or a split with a val part) so it measures val_accuracy
            train: trial must be a Trial (the loop variable of `for t in study`), got Int
            train: trial 0 of study 'g' is already complete

            """)
    }
}
