import Foundation
import LoopTrain
import Testing

/// The run policy `train` delegates to: step arithmetic, curve points, budget, early stopping
/// with best-weight restore, throughput net of evaluation.
@Suite struct TrainingMonitorTests {
    @Test func thePlanTakesWhicheverOfEpochsAndStepsEndsFirst() {
        let byEpochs = TrainingPlan(stepsPerEpoch: 7, epochs: 3, steps: nil, defaultEpochs: 10, pointEvery: nil)
        #expect(byEpochs.totalSteps == 21 && byEpochs.pointEvery == 7 && byEpochs.epochs == 3)
        let capped = TrainingPlan(stepsPerEpoch: 7, epochs: 3, steps: 10, defaultEpochs: 10, pointEvery: nil)
        #expect(capped.totalSteps == 10 && capped.epochs == 2)
        // Steps alone override the default epochs, even beyond them.
        let stepsOnly = TrainingPlan(stepsPerEpoch: 7, epochs: nil, steps: 100, defaultEpochs: 1, pointEvery: nil)
        #expect(stepsOnly.totalSteps == 100 && stepsOnly.epochs == 15)
        let defaults = TrainingPlan(stepsPerEpoch: 4, epochs: nil, steps: nil, defaultEpochs: 10, pointEvery: nil)
        #expect(defaults.totalSteps == 40)
        // A text run has no natural epoch: ten points over the run unless eval_every says.
        let text = TrainingPlan(stepsPerEpoch: 1000, epochs: nil, steps: 50, defaultEpochs: 1, pointEvery: nil, defaultPoints: 10)
        #expect(text.pointEvery == 5)
        let tiny = TrainingPlan(stepsPerEpoch: 1000, epochs: nil, steps: 3, defaultEpochs: 1, pointEvery: nil, defaultPoints: 10)
        #expect(tiny.pointEvery == 1)
        #expect(TrainingPlan(stepsPerEpoch: 4, epochs: 2, steps: nil, defaultEpochs: 1, pointEvery: 3).pointEvery == 3)
    }

    @Test func hugeEpochCountsSaturateInsteadOfTrapping() {
        let plan = TrainingPlan(stepsPerEpoch: 3, epochs: Int.max, steps: nil, defaultEpochs: 1, pointEvery: nil)
        #expect(plan.totalSteps == Int.max)
        #expect(plan.epochs > 0)
        #expect(TrainingPlan(stepsPerEpoch: 0, epochs: 2, steps: nil, defaultEpochs: 1, pointEvery: nil).totalSteps == 2)
    }

    @Test func pointsComeEveryNStepsAndAtTheLastStep() {
        let plan = TrainingPlan(stepsPerEpoch: 4, epochs: nil, steps: 10, defaultEpochs: 1, pointEvery: nil)
        let monitor = TrainingMonitor(plan: plan, budget: nil, patience: nil, parameters: [])
        var due: [Int] = []
        for step in 0..<10 where monitor.recordStep(StepRecord(step: step, epoch: 0, loss: 1, learningRate: 0.1), examples: 1) {
            due.append(step + 1)
        }
        #expect(due == [4, 8, 10])
    }

    @Test func theTrainingLossIsAveragedBetweenPoints() {
        let plan = TrainingPlan(stepsPerEpoch: 3, epochs: 1, steps: nil, defaultEpochs: 1, pointEvery: nil)
        let monitor = TrainingMonitor(plan: plan, budget: nil, patience: nil, parameters: [])
        for (step, loss) in [4.0, 2.0, 3.0].enumerated() {
            _ = monitor.recordStep(StepRecord(step: step, epoch: 0, loss: loss, learningRate: 0.1), examples: 8)
        }
        #expect(monitor.initialLoss == 4)
        #expect(monitor.pointIsPending)
        #expect(monitor.takeTrainingLoss(fallback: 99) == 3)
        #expect(!monitor.pointIsPending && monitor.lastPointStep == 3)
        // Nothing counted since: the fallback (the step's own loss) is the point's.
        #expect(monitor.takeTrainingLoss(fallback: 7) == 7)
    }

    @Test func earlyStoppingRestoresTheBestWeights() {
        let model = mlp(inputs: 2, hidden: [3], outputs: 1, seed: 1)
        let plan = TrainingPlan(stepsPerEpoch: 1, epochs: 10, steps: nil, defaultEpochs: 1, pointEvery: nil)
        let monitor = TrainingMonitor(plan: plan, budget: nil, patience: 2, parameters: model.parameters)
        let best = model.parameters.map(\.value.scalars)
        #expect(monitor.judge(monitored: 1.0) == nil)
        for p in model.parameters { p.value = Tensor(shape: p.value.shape, values: p.value.scalars.map { $0 + 1 }) }
        #expect(monitor.judge(monitored: 1.5) == nil)
        #expect(monitor.judge(monitored: 1.2) == .earlyStopped)
        #expect(model.parameters.map(\.value.scalars) != best)
        monitor.finish(.earlyStopped)
        #expect(model.parameters.map(\.value.scalars) == best)
    }

    @Test func aRunThatDidNotStopEarlyKeepsItsLastWeights() {
        let model = mlp(inputs: 2, hidden: [3], outputs: 1, seed: 1)
        let plan = TrainingPlan(stepsPerEpoch: 1, epochs: 10, steps: nil, defaultEpochs: 1, pointEvery: nil)
        let monitor = TrainingMonitor(plan: plan, budget: nil, patience: 5, parameters: model.parameters)
        _ = monitor.judge(monitored: 1.0)
        for p in model.parameters { p.value = Tensor(shape: p.value.shape, values: p.value.scalars.map { $0 * 2 }) }
        let last = model.parameters.map(\.value.scalars)
        _ = monitor.judge(monitored: 2.0)
        monitor.finish(.completed)
        #expect(model.parameters.map(\.value.scalars) == last)
        // Without patience nothing is judged.
        let patient = TrainingMonitor(plan: plan, budget: nil, patience: nil, parameters: model.parameters)
        #expect((0..<100).allSatisfy { patient.judge(monitored: Double($0)) == nil })
    }

    @Test func theBudgetRunsOutAndEvaluationTimeIsNotThroughput() {
        let plan = TrainingPlan(stepsPerEpoch: 1, epochs: 1, steps: nil, defaultEpochs: 1, pointEvery: nil)
        let unlimited = TrainingMonitor(plan: plan, budget: nil, patience: nil, parameters: [])
        #expect(!unlimited.budgetExhausted)
        let monitor = TrainingMonitor(plan: plan, budget: 0.02, patience: nil, parameters: [])
        _ = monitor.recordStep(StepRecord(step: 0, epoch: 0, loss: 1, learningRate: 0.1), examples: 1000)
        let evaluated = monitor.evaluating { () -> Int in
            usleep(50_000)
            return 42
        }
        #expect(evaluated == 42)
        #expect(monitor.budgetExhausted)
        // 1000 examples over the whole time would be below 1000 / 0.05 s; net of the 50 ms
        // evaluation it is far above.
        #expect(monitor.throughput > 1000 / monitor.elapsed)
    }
}
