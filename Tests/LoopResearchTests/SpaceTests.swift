import LoopResearch
import Testing

@Suite struct SpaceTests {
    @Test func validationRejectsBadParameters() {
        #expect(throws: SpaceError.emptyChoice(parameter: "c")) { try Space([Parameter("c", .choice([]))]) }
        #expect(throws: SpaceError.invalidBounds(parameter: "u", low: 2, high: 1)) {
            try Space([Parameter("u", .uniform(low: 2, high: 1))])
        }
        #expect(throws: SpaceError.nonPositiveLogBound(parameter: "lr", low: 0)) {
            try Space([Parameter("lr", .logUniform(low: 0, high: 1))])
        }
        #expect(throws: SpaceError.nonPositiveStep(parameter: "k", step: 0)) {
            try Space([Parameter("k", .integers(low: 1, high: 4, step: 0))])
        }
        #expect(throws: SpaceError.duplicateParameter("a")) {
            try Space([Parameter("a", .uniform(low: 0, high: 1)), Parameter("a", .uniform(low: 0, high: 1))])
        }
        #expect(throws: SpaceError.duplicateChoice(parameter: "c", value: .int(1))) {
            try Space([Parameter("c", .choice([.int(1), .int(1)]))])
        }
        #expect(throws: SpaceError.unknownConditionParameter(parameter: "d", refersTo: "layers")) {
            try Space([Parameter("d", .uniform(low: 0, high: 1), when: Condition("layers", .greater, .int(1)))])
        }
        #expect(throws: SpaceError.nonNumericComparison(parameter: "d", condition: Condition("act", .greater, .string("relu")))) {
            try Space([Parameter("act", .choice([.string("relu")])),
                       Parameter("d", .uniform(low: 0, high: 1), when: Condition("act", .greater, .string("relu")))])
        }
    }

    @Test func infiniteBoundsAreRejected() {
        #expect(throws: SpaceError.self) { try Space([Parameter("u", .uniform(low: -.infinity, high: 1))]) }
    }

    @Test func conditionsDecideActivity() throws {
        let space = try mixedSpace()
        let deep = Config(["lr": .double(0.01), "hidden": .int(64), "layers": .int(3), "dropout": .double(0.1),
                           "act": .string("relu"), "bias": .bool(true)])
        var shallow = deep
        shallow["layers"] = .int(1)
        #expect(space.contains(deep))
        #expect(!space.contains(shallow))  // dropout present although inactive
        shallow["dropout"] = nil
        #expect(space.contains(shallow))
        #expect(Condition("layers", .greater, .int(1)).description == "layers > 1")
        #expect(Condition("layers", .equal, .double(3)).holds(in: deep))
    }

    @Test func membershipChecksDomains() throws {
        let space = try Space([Parameter("k", .integers(low: 0, high: 10, step: 2)), Parameter("lr", .logUniform(low: 1e-3, high: 1))])
        #expect(space.contains(Config(["k": .int(4), "lr": .double(0.01)])))
        #expect(!space.contains(Config(["k": .int(3), "lr": .double(0.01)])))
        #expect(!space.contains(Config(["k": .int(4), "lr": .double(2)])))
        #expect(!space.contains(Config(["k": .double(4), "lr": .double(0.01)])))
        #expect(!space.contains(Config(["k": .int(4), "lr": .double(0.01), "extra": .int(1)])))
        #expect(space.cardinality == nil)
        #expect(try Space([Parameter("k", .integers(low: 0, high: 10, step: 2)), Parameter("b", .choice([.bool(true), .bool(false)]))]).cardinality == 12)
    }

    @Test func growthKeepsOldConfigurationsAndRefusesIncompatibleChanges() throws {
        let old = try Space([Parameter("x", .uniform(low: 0, high: 1)), Parameter("c", .choice([.string("a"), .string("b")]))])
        let grown = try old.adding(Parameter("y", .integers(low: 1, high: 3, step: 1))).addingChoice(.string("c"), to: "c")
        try grown.checkGrowth(from: old)
        #expect(grown.parameters.count == 3)
        #expect(throws: SpaceError.incompatibleChange(parameter: "x")) {
            try Space([Parameter("x", .uniform(low: 0.5, high: 1)), Parameter("c", .choice([.string("a"), .string("b")]))]).checkGrowth(from: old)
        }
        #expect(throws: SpaceError.duplicateChoice(parameter: "c", value: .string("a"))) { try old.addingChoice(.string("a"), to: "c") }
        #expect(throws: SpaceError.unknownParameter("z")) { try old.addingChoice(.int(1), to: "z") }
    }
}
