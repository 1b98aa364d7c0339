import Foundation
import LoopLang
import LoopResearch

/// A distribution not yet named: what `uniform(...)` and friends return, before `space {...}`
/// gives it a parameter name. `when` makes it conditional.
final class DistributionBox {
    let distribution: Distribution
    let condition: Condition?

    init(_ distribution: Distribution, condition: Condition? = nil) {
        self.distribution = distribution
        self.condition = condition
    }
}

/// A search space handle (`space {...}`).
final class SpaceBox {
    let space: Space
    init(_ space: Space) { self.space = space }
}

/// `uniform`, `loguniform`, `integers`, `choice` and `space`: declaring what a study searches.
enum SpacePrimitives {
    static let distributionType: HostType = {
        let type = HostType(name: "Distribution", doc: "One parameter's range: uniform, loguniform, integers or choice.",
                            summary: { object in
                                let box = object as! DistributionBox
                                return box.distribution.description + (box.condition.map { " when \($0)" } ?? "")
                            })
        type.addMember("when", .method(NativeFunction(
            "when", NativeParameters.list(P.condition),
            doc: "The same range, active only when the condition holds: `uniform(0, 0.5).when(\"layers > 1\")`."
        ) { call throws(LoopError) in
            guard case .handle(let h) = call.receiver, let box = h.object as? DistributionBox else { return .nil }
            let condition = try parseCondition(try call[P.condition])
            return .handle(Handle(distributionType, DistributionBox(box.distribution, condition: condition)))
        }))
        return type
    }()

    static let spaceType = HostType(
        name: "Space", doc: "A search space: named parameters, each with a range.",
        summary: { ($0 as! SpaceBox).space.description },
        members: [
            "names": .property(doc: "The parameter names, in order.") { object in
                .list((object as! SpaceBox).space.parameters.map { .string($0.name) })
            },
            "count": .property(doc: "How many parameters.") { .int(($0 as! SpaceBox).space.parameters.count) },
            "size": .property(doc: "How many configurations (nil when a parameter is continuous).") { object in
                (object as! SpaceBox).space.cardinality.map { .int($0) } ?? .nil
            },
        ])

    private enum P {
        static let condition = Param.string("condition", doc: "when the range is active, e.g. \"layers > 1\" or \"optimizer == 'sgd'\"")
        static let low = Param.number("low", doc: "the smallest value")
        static let high = Param.number("high", doc: "the largest value")
        static let lowInt = Param.int("low", doc: "the smallest value")
        static let highInt = Param.int("high", doc: "the largest value (included)")
        static let step = Param.int("step", default: 1, doc: "the distance between values")
        static let parameters = Param.value("parameters", doc: "a record of ranges: {lr: loguniform(1e-4, 0.1), hidden: choice(32, 64)}")
    }

    static func register(into registry: Registry) {
        registry.register(distributionType)
        registry.register(spaceType)
        registry.function("uniform", NativeParameters.list(P.low, P.high),
                          doc: "A real parameter drawn uniformly from [low, high].") { call throws(LoopError) in
            let (a, b) = (try call[P.low], try call[P.high])
            try check(.uniform(low: a, high: b), "uniform")
            return distribution(.uniform(low: a, high: b))
        }
        registry.function("loguniform", NativeParameters.list(P.low, P.high),
                          doc: "A real parameter uniform in log scale over [low, high], low > 0 (learning rates, decay).") { call throws(LoopError) in
            let (a, b) = (try call[P.low], try call[P.high])
            try check(.logUniform(low: a, high: b), "loguniform")
            return distribution(.logUniform(low: a, high: b))
        }
        registry.function("integers", NativeParameters.list(P.lowInt, P.highInt, P.step),
                          doc: "An integer parameter: low, low + step, ... up to high (inclusive).") { call throws(LoopError) in
            let d = Distribution.integers(low: try call[P.lowInt], high: try call[P.highInt], step: try call[P.step])
            try check(d, "integers")
            return distribution(d)
        }
        registry.function("choice", [], variadic: true,
                          doc: "A categorical parameter: one of the listed values (numbers, Strings or Bools); `choice([..])` works too.") { call throws(LoopError) in
            var items = call.rest
            if items.count == 1, case .list(let list) = items[0] { items = list }
            var values: [ParameterValue] = []
            for item in items {
                guard let v = ResearchValues.parameterValue(item) else {
                    throw researchError("choice: values must be numbers, Strings or Bools, got \(item.typeName)")
                }
                values.append(v)
            }
            try check(.choice(values), "choice")
            return distribution(.choice(values))
        }
        registry.function("space", NativeParameters.list(P.parameters),
                          doc: "A search space from a record of ranges: `space {lr: loguniform(1e-4, 0.1), hidden: choice(32, 64)}`.") { call throws(LoopError) in
            let parameters = try call[P.parameters]
            guard case .record(let r) = parameters else {
                throw researchError("space: expected a record of ranges like {lr: loguniform(1e-4, 0.1)}, got \(parameters.typeName)")
            }
            return .handle(Handle(spaceType, SpaceBox(try makeSpace(r))))
        }
    }

    static func distribution(_ d: Distribution) -> Value { .handle(Handle(distributionType, DistributionBox(d))) }

    /// Builds a space from record fields; a List stands for `choice(...)` of its items.
    static func makeSpace(_ record: Record) throws(LoopError) -> Space {
        var parameters: [LoopResearch.Parameter] = []
        for (name, value) in record.fields {
            switch value {
            case .handle(let h) where h.object is DistributionBox:
                let box = h.object as! DistributionBox
                parameters.append(LoopResearch.Parameter(name, box.distribution, when: box.condition))
            case .list(let items):
                let values = items.compactMap(ResearchValues.parameterValue)
                if values.count != items.count { throw researchError("space: '\(name)' lists values that are not numbers, Strings or Bools") }
                parameters.append(LoopResearch.Parameter(name, .choice(values)))
            default:
                throw researchError("space: '\(name)' must be uniform(..), loguniform(..), integers(..), choice(..) or a List, got \(value.typeName)")
            }
        }
        if parameters.isEmpty { throw researchError("space: the record has no parameters") }
        do throws(SpaceError) { return try Space(parameters) } catch {
            throw researchError("space: " + ResearchMessages.describe(error))
        }
    }

    /// Validates a distribution on its own, so a bad range is reported where it is written.
    private static func check(_ d: Distribution, _ function: String) throws(LoopError) {
        do throws(SpaceError) { _ = try Space([LoopResearch.Parameter(function, d)]) } catch {
            let reason: String
            switch error {
            case .invalidBounds(_, let low, let high): reason = "the range \(low)...\(high) is empty or not finite (low must be <= high)"
            case .nonPositiveLogBound(_, let low): reason = "needs a low bound > 0, got \(low)"
            case .nonPositiveStep(_, let step): reason = "step must be > 0, got \(step)"
            case .tooManyValues(_, let low, let high): reason = "\(low)...\(high) holds more values than an Int can count; narrow the range"
            case .emptyChoice: reason = "no values given"
            case .duplicateChoice(_, let value): reason = "\(value) is listed twice"
            default: reason = ResearchMessages.describe(error)
            }
            throw researchError("\(function): \(reason)")
        }
    }

    /// `"layers > 1"`, `"act == relu"`, `"act == \"relu\""` as a condition.
    static func parseCondition(_ text: String) throws(LoopError) -> Condition {
        for op in [">=", "<=", "==", "!=", ">", "<"] {
            guard let range = text.range(of: op) else { continue }
            let name = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            var raw = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            let value: ParameterValue
            if let i = Int(raw) { value = .int(i) }
            else if let d = Double(raw) { value = .double(d) }
            else if raw == "true" || raw == "false" { value = .bool(raw == "true") }
            else {
                if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") { raw = String(raw.dropFirst().dropLast()) }
                value = .string(raw)
            }
            guard !name.isEmpty, !raw.isEmpty else { break }
            return Condition(name, Condition.Comparison(rawValue: op)!, value)
        }
        throw researchError("when: expected a condition like \"layers > 1\" or \"act == relu\", got \"\(text)\"")
    }
}
