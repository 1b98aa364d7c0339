import LoopSupport
import LoopTrain
import Testing

@Suite struct DataTests {
    @Test func parsesIntegerStringAndRegressionTargets() throws {
        let ints = try CSV.parse("a,b,label\n1,2,0\n3,4.5,2\n\n5,6,1\n", target: "label")
        #expect(ints.count == 3 && ints.featureCount == 2 && ints.featureNames == ["a", "b"])
        #expect(ints.task.classCount == 3)
        #expect(ints.targets.scalars == [0, 2, 1])
        #expect(ints.features.scalars == [1, 2, 3, 4.5, 5, 6])
        let strings = try CSV.parse("kind,x\r\ncat,1\r\ndog,2\r\n\"cat\",3\r\n", target: "kind")
        #expect(strings.task == .classification(classNames: ["cat", "dog"]))
        #expect(strings.targets.scalars == [0, 1, 0])
        #expect(strings.features.scalars == [1, 2, 3])
        let reg = try CSV.parse("x,y\n1,0.5\n2,-1.25\n", target: "y")
        #expect(reg.task == .regression && reg.targets.shape == [2, 1] && reg.targets.scalars == [0.5, -1.25])
    }

    @Test func errorsNameFileLineAndColumn() {
        #expect(throws: DataError.raggedRow(file: "d.csv", line: 3, expected: 3, found: 2)) {
            try CSV.parse("a,b,y\n1,2,0\n1,2\n", target: "y", file: "d.csv")
        }
        #expect(throws: DataError.notNumeric(file: "d.csv", line: 2, column: 2, name: "b", value: "abc")) {
            try CSV.parse("a,b,y\n1,abc,0\n", target: "y", file: "d.csv")
        }
        #expect(throws: DataError.missingTarget(file: "d.csv", target: "label", available: ["a", "y"])) {
            try CSV.parse("a,y\n1,0\n", target: "label", file: "d.csv")
        }
        #expect(throws: DataError.empty(file: "d.csv")) { try CSV.parse("\n\n", target: "y", file: "d.csv") }
        let message = DataError.notNumeric(file: "d.csv", line: 2, column: 2, name: "b", value: "abc").description
        #expect(message == "d.csv:2:2: column 'b' must be numeric, found 'abc'")
        #expect(throws: DataError.self) { try CSV.load(path: "/nonexistent/x.csv", target: "y") }
    }

    @Test func seededStratifiedSplitAndStandardisation() {
        let data = SyntheticData.blobs(count: 300, centers: 3, seed: 1)
        let a = data.split(train: 0.6, validation: 0.2, test: 0.2, seed: 7)
        let b = data.split(train: 0.6, validation: 0.2, test: 0.2, seed: 7)
        #expect(a.train.features == b.train.features && a.test.targets == b.test.targets)
        #expect(a.train.count == 180 && a.validation.count == 60 && a.test.count == 60)
        for c in 0..<3 { #expect(a.test.targets.scalars.filter { $0 == Float(c) }.count == 20) }
        let c = data.split(train: 0.6, validation: 0.2, test: 0.2, seed: 8)
        #expect(c.train.features != a.train.features)

        let scaler = Standardizer(fitting: a.train.features)
        let z = a.train.standardized(by: scaler).features
        for col in 0..<2 {
            let values = (0..<z.rows).map { Double(z[$0, col]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
        }
        // Test rows use the train statistics, so their mean is not exactly zero.
        #expect(scaler == Standardizer(fitting: a.train.features))
        let constant = Standardizer(fitting: Tensor(shape: [3, 1], repeating: 4))
        #expect(constant.std == [1])
    }

    @Test func batchesCoverEveryRowOnce() {
        let data = SyntheticData.xor(count: 103, seed: 2)
        var rng: SeededRandom? = SeededRandom(seed: 3)
        let batches = data.batches(size: 10, shuffle: &rng)
        #expect(batches.count == 11 && batches.last!.features.rows == 3)
        let all = batches.flatMap { $0.features.scalars }
        #expect(all.sorted() == data.features.scalars.sorted())
        #expect(all != data.features.scalars)
    }

    @Test func builtInDatasets() {
        for name in ["spirals", "moons", "blobs", "xor", "sine"] {
            let d = SyntheticData.named(name, seed: 1)!
            #expect(d.count > 0)
            #expect(SyntheticData.named(name, seed: 1)!.features == d.features)
        }
        #expect(SyntheticData.named("nope", seed: 1) == nil)
        #expect(SyntheticData.spirals(perClass: 50, classes: 4, seed: 1).task.classCount == 4)
        #expect(SyntheticData.sine(seed: 1).task == .regression)
    }
}
