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
    static func decode(_ json: JSONValue) -> Space? { try? parse(json) }

    /// A space from JSON a person or an agent wrote: the stored form (a list of parameters, in
    /// order) or an object of name -> parameter (names in sorted order). A parameter is
    /// `{"distribution": "uniform"|"loguniform"|"integers"|"choice", "low", "high", "step", "values", "when"}`.
    /// The error names the parameter and what is wrong with it.
    static func parse(_ json: JSONValue) throws(Failure) -> Space {
        var items: [(String, [String: JSONValue])] = []
        switch json {
        case .array(let list):
            for (i, item) in list.enumerated() {
                guard case .object(let o) = item, case .string(let name)? = o["name"] else {
                    throw Failure(message: "parameter \(i + 1): expected {\"name\": ..., \"distribution\": ...}")
                }
                items.append((name, o))
            }
        case .object(let fields):
            var pending: [(String, [String: JSONValue])] = []
            for name in fields.keys.sorted() {
                guard case .object(let o)? = fields[name] else { throw Failure(message: "'\(name)': expected {\"distribution\": ..., ...}") }
                pending.append((name, o))
            }
            // An object has no order, but a condition may only name a parameter declared before
            // it: parents first, then what depends on them (a cycle is left for Space to report).
            var placed = Set<String>()
            while !pending.isEmpty {
                let ready = pending.filter { _, o in
                    guard case .string(let parent)? = o["when"]?["parameter"] else { return true }
                    return placed.contains(parent)
                }
                if ready.isEmpty { items += pending; break }
                for item in ready { items.append(item); placed.insert(item.0) }
                pending.removeAll { placed.contains($0.0) }
            }
        default:
            throw Failure(message: "a space is an object of name -> {\"distribution\": ..., ...} or a list of parameters")
        }
        if items.isEmpty { throw Failure(message: "the space has no parameters") }
        var parameters: [LoopResearch.Parameter] = []
        for (name, o) in items {
            func number(_ key: String) throws(Failure) -> Double {
                guard let v = o[key]?.doubleValue, v.isFinite else { throw Failure(message: "'\(name)': \(key) must be a finite number") }
                return v
            }
            func integer(_ key: String, default fallback: Int? = nil) throws(Failure) -> Int {
                if o[key] == nil, let fallback { return fallback }
                guard let v = o[key]?.doubleValue, v == v.rounded(), abs(v) < 9e15 else { throw Failure(message: "'\(name)': \(key) must be an integer") }
                return Int(v)
            }
            guard case .string(let kind)? = o["distribution"] else {
                throw Failure(message: "'\(name)': distribution must be one of uniform, loguniform, integers, choice")
            }
            let distribution: Distribution
            switch kind {
            case "uniform", "loguniform":
                let (a, b) = (try number("low"), try number("high"))
                guard a <= b else { throw Failure(message: "'\(name)': low \(a) is above high \(b)") }
                if kind == "loguniform", a <= 0 { throw Failure(message: "'\(name)': loguniform needs low > 0, got \(a)") }
                distribution = kind == "uniform" ? .uniform(low: a, high: b) : .logUniform(low: a, high: b)
            case "integers":
                let (a, b, step) = (try integer("low"), try integer("high"), try integer("step", default: 1))
                guard a <= b else { throw Failure(message: "'\(name)': low \(a) is above high \(b)") }
                guard step >= 1 else { throw Failure(message: "'\(name)': step must be at least 1, got \(step)") }
                distribution = .integers(low: a, high: b, step: step)
            case "choice":
                guard case .array(let values)? = o["values"], !values.isEmpty else { throw Failure(message: "'\(name)': choice needs a non-empty list of values") }
                var choices: [ParameterValue] = []
                for v in values {
                    guard let p = ResearchValues.parameterValue(v, for: nil) else { throw Failure(message: "'\(name)': choice values must be strings, numbers or booleans, got \(v.serialized())") }
                    choices.append(p)
                }
                distribution = .choice(choices)
            default:
                throw Failure(message: "'\(name)': unknown distribution '\(kind)'; use uniform, loguniform, integers or choice")
            }
            var condition: Condition?
            if let w = o["when"] {
                guard case .object(let w) = w, case .string(let parameter)? = w["parameter"], case .string(let op)? = w["op"],
                      let comparison = Condition.Comparison(rawValue: op), let v = w["value"],
                      let value = ResearchValues.parameterValue(v, for: nil) else {
                    throw Failure(message: "'\(name)': when must be {\"parameter\": ..., \"op\": \"==\", \"value\": ...}")
                }
                condition = Condition(parameter, comparison, value)
            }
            parameters.append(LoopResearch.Parameter(name, distribution, when: condition))
        }
        do throws(SpaceError) { return try Space(parameters) } catch {
            throw Failure(message: ResearchMessages.describe(error))
        }
    }

    struct Failure: Error {
        let message: String
    }
}
