import LoopResearch
import LoopSupport
import Testing

struct ImportanceTests {
    func sample(_ space: Space, count: Int, seed: UInt64) -> [Config] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in space.config(fromUnit: space.parameters.map { p in
            if case .choice(let values) = p.distribution { return Double(Int(rng.next() % UInt64(values.count))) }
            return Double(rng.next() % 1_000_000) / 1_000_000
        }) }
    }

    @Test func theParameterThatMattersComesFirst() throws {
        let space = try Space([
            Parameter("x", .uniform(low: 0, high: 1)), Parameter("y", .uniform(low: 0, high: 1)), Parameter("z", .uniform(low: 0, high: 1)),
        ])
        let configs = sample(space, count: 300, seed: 1)
        let values = configs.map { 10 * $0["x"]!.number! + 2 * $0["y"]!.number! }
        let result = Importance.fanova(space: space, configs: configs, values: values, trees: 32, seed: 0)
        #expect(result.map(\.name) == ["x", "y", "z"])
        #expect(abs(result.map(\.importance).reduce(0, +) - 1) < 1e-9)
        // Variance shares: x has 25 times y's (10² vs 2²), z none.
        #expect(result[0].importance > 0.85 && result[1].importance > 0.01 && result[2].importance < 0.03)
    }

    @Test func choicesAndIntegersAreEvaluatedAndInactiveParametersLeftOut() throws {
        let space = try Space([
            Parameter("act", .choice([.string("relu"), .string("gelu"), .string("tanh")])),
            Parameter("layers", .integers(low: 1, high: 4, step: 1)),
            Parameter("dropout", .uniform(low: 0, high: 0.5), when: Condition("layers", .greater, .int(1))),
        ])
        let configs = sample(space, count: 200, seed: 2)
        let values = configs.map { c -> Double in (c["act"] == .string("tanh") ? 5 : 0) + 0.1 * Double(c["layers"]!.number!) }
        let result = Importance.fanova(space: space, configs: configs, values: values, trees: 32, seed: 0)
        #expect(result.map(\.name) == ["act", "layers"])
        #expect(result[0].importance > 0.9)
    }

    @Test func flatOrTinyStudiesGiveNothingOrZeros() throws {
        let space = try Space([Parameter("x", .uniform(low: 0, high: 1))])
        #expect(Importance.fanova(space: space, configs: [], values: []).isEmpty)
        let configs = sample(space, count: 10, seed: 3)
        let flat = Importance.fanova(space: space, configs: configs, values: Array(repeating: 1, count: 10))
        #expect(flat.map(\.importance) == [0])
    }
}
