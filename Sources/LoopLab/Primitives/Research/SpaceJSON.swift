import LoopResearch
import LoopStore
import LoopSupport

/// A search space as the `studies.space` column holds it (documented in docs/store.md): a list
/// of `{name, distribution, low, high, step, values, when}` objects in declaration order.
enum SpaceJSON {
    static func encode(_ space: Space) -> JSONValue {
        .array(space.parameters.map { p in
            var o: [String: JSONValue] = ["name": .string(p.name)]
            switch p.distribution {
            case .uniform(let a, let b): o["distribution"] = "uniform"; o["low"] = .number(a); o["high"] = .number(b)
            case .logUniform(let a, let b): o["distribution"] = "loguniform"; o["low"] = .number(a); o["high"] = .number(b)
            case .integers(let a, let b, let s):
                o["distribution"] = "integers"; o["low"] = .int(a); o["high"] = .int(b); o["step"] = .int(s)
            case .choice(let values): o["distribution"] = "choice"; o["values"] = .array(values.map(ResearchValues.json))
            }
            if let c = p.condition {
                o["when"] = ["parameter": .string(c.parameter), "op": .string(c.comparison.rawValue),
                             "value": ResearchValues.json(c.value)]
            }
            return .object(o)
        })
    }

    /// The space back from its JSON, or nil when the column holds something else (a study
    /// written by another tool).
    static func decode(_ json: JSONValue) -> Space? {
        guard case .array(let items) = json else { return nil }
        var parameters: [LoopResearch.Parameter] = []
        for item in items {
            guard case .object(let o) = item, case .string(let name)? = o["name"],
                  case .string(let kind)? = o["distribution"] else { return nil }
            let distribution: Distribution
            switch kind {
            case "uniform", "loguniform":
                guard let a = o["low"]?.doubleValue, let b = o["high"]?.doubleValue else { return nil }
                distribution = kind == "uniform" ? .uniform(low: a, high: b) : .logUniform(low: a, high: b)
            case "integers":
                guard case .int(let a)? = o["low"], case .int(let b)? = o["high"], case .int(let s)? = o["step"] else { return nil }
                distribution = .integers(low: a, high: b, step: s)
            case "choice":
                guard case .array(let values)? = o["values"] else { return nil }
                distribution = .choice(values.compactMap { ResearchValues.parameterValue($0, for: nil) })
            default:
                return nil
            }
            var condition: Condition?
            if case .object(let w)? = o["when"] {
                guard case .string(let parameter)? = w["parameter"], case .string(let op)? = w["op"],
                      let comparison = Condition.Comparison(rawValue: op), let v = w["value"],
                      let value = ResearchValues.parameterValue(v, for: nil) else { return nil }
                condition = Condition(parameter, comparison, value)
            }
            parameters.append(LoopResearch.Parameter(name, distribution, when: condition))
        }
        return try? Space(parameters)
    }
}
