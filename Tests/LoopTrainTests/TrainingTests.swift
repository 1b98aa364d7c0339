import Foundation
import LoopTrain
import Testing

@Suite struct TrainingTests {
    @Test func learnsSpiralsAndIsDeterministic() {
        func run() -> (TrainingHistory, Evaluation, [Float]) {
            let data = SyntheticData.spirals(perClass: 100, classes: 3, seed: 1)
            let model = mlp(inputs: 2, hidden: [32, 32], outputs: 3, seed: 2)
            let opt = Adam(parameters: model.parameters, learningRate: 0.01)
            let h = train(model, on: data, loss: .softmaxCrossEntropy, optimizer: opt, epochs: 60, batchSize: 32,
                          schedule: .cosine(totalSteps: 600), clipNorm: 5, seed: 3)
            return (h, evaluate(model, on: data, loss: .softmaxCrossEntropy), model.parameters[0].value.scalars)
        }
        let (h1, e1, w1) = run()
        let (h2, _, w2) = run()
        #expect(h1.status == .completed)
        #expect(e1.accuracy! > 0.9, "spirals accuracy \(e1.accuracy!)")
        #expect(h1.steps.map(\.loss) == h2.steps.map(\.loss))
        #expect(w1 == w2)
    }

    @Test func regressionOnSineAndBinaryXor() {
        let sine = SyntheticData.sine(count: 256, noise: 0.05, seed: 1)
        let model = mlp(inputs: 1, hidden: [32], outputs: 1, activation: .tanh, seed: 2)
        _ = train(model, on: sine, loss: .meanSquaredError,
                  optimizer: SGD(parameters: model.parameters, learningRate: 0.05, momentum: 0.9, nesterov: true),
                  epochs: 150, batchSize: 32, seed: 3)
        let e = evaluate(model, on: sine, loss: .meanSquaredError)
        #expect(e.r2! > 0.95, "sine R² \(e.r2!)")

        let xor = SyntheticData.xor(count: 256, seed: 4)
        let clf = mlp(inputs: 2, hidden: [16], outputs: 1, activation: .tanh, seed: 5)
        _ = train(clf, on: xor, loss: .binaryCrossEntropy, optimizer: Adam.adamW(parameters: clf.parameters, learningRate: 0.02),
                  epochs: 100, batchSize: 32, seed: 6)
        #expect(evaluate(clf, on: xor, loss: .binaryCrossEntropy).accuracy! > 0.95)
    }

    @Test func divergenceIsAResult() {
        let data = SyntheticData.sine(count: 64, seed: 1)
        let model = mlp(inputs: 1, hidden: [8], outputs: 1, seed: 2)
        let h = train(model, on: data, loss: .meanSquaredError, optimizer: SGD(parameters: model.parameters, learningRate: 1e6),
                      epochs: 50, batchSize: 8, seed: 3)
        #expect(h.status == .diverged)
        var calls = 0
        let fresh = mlp(inputs: 1, hidden: [8], outputs: 1, seed: 2)
        let stopped = train(fresh, on: data, loss: .meanSquaredError, optimizer: SGD(parameters: fresh.parameters, learningRate: 0),
                            epochs: 5, batchSize: 8, seed: 3) { _ in calls += 1; return calls < 3 ? nil : .interrupted }
        #expect(stopped.status == .interrupted && stopped.steps.count == 3)
        let capped = train(fresh, on: data, loss: .meanSquaredError, optimizer: SGD(parameters: fresh.parameters, learningRate: 0.01),
                           epochs: 5, batchSize: 8, maxSteps: 11, seed: 3)
        #expect(capped.status == .completed && capped.steps.count == 11 && capped.steps.last!.epoch == 1)
    }

    /// The end-to-end check: an MLP on the shared digits data reaches ≥ 95% test accuracy.
    @Test func digitsMLP() throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/digits.csv").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipping digitsMLP: \(path) not found")
            return
        }
        let data = try CSV.load(path: path, target: "label")
        #expect(data.count == 1797 && data.featureCount == 64 && data.task.classCount == 10)
        let parts = data.split(train: 0.8, test: 0.2, seed: 0)
        let scaler = Standardizer(fitting: parts.train.features)
        let trainSet = parts.train.standardized(by: scaler), testSet = parts.test.standardized(by: scaler)
        let model = mlp(inputs: 64, hidden: [256, 256], outputs: 10, seed: 1)
        let opt = Adam.adamW(parameters: model.parameters, learningRate: 1e-3, weightDecay: 0.01)
        let history = train(model, on: trainSet, loss: .softmaxCrossEntropy, optimizer: opt, epochs: 20, batchSize: 64, seed: 2)
        let result = evaluate(model, on: testSet, loss: .softmaxCrossEntropy)
        print("digits MLP 64-256-256-10: test accuracy \(result.accuracy!), \(Int(history.throughput)) examples/s, \(history.seconds) s")
        #expect(result.accuracy! >= 0.95)
    }
}
