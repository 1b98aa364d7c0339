import LoopLang
import LoopResearch
import LoopStore
import LoopSupport

/// Conversions between `.loop` values and the research engine's and store's value types.
enum ResearchValues {
    static func parameterValue(_ value: Value) -> ParameterValue? {
        switch value {
        case .int(let i): .int(i)
        case .float(let d): .double(d)
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        default: nil
        }
    }

    static func value(_ p: ParameterValue) -> Value {
        switch p {
        case .int(let i): .int(i)
        case .double(let d): .float(d)
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        }
    }

    static func json(_ p: ParameterValue) -> JSONValue {
        switch p {
        case .int(let i): .int(i)
        case .double(let d): .number(d)
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        }
    }

    /// A stored parameter value read back as the type its distribution produces (JSON does not
    /// keep `1.0` apart from `1`, and proposals must compare equal to what was stored).
    static func parameterValue(_ json: JSONValue, for distribution: Distribution?) -> ParameterValue? {
        switch (json, distribution) {
        case (.int(let i), .uniform?), (.int(let i), .logUniform?): return .double(Double(i))
        case (.number(let d), .integers?) where d == d.rounded(): return .int(Int(d))
        case (_, .choice(let values)?):
            if let number = json.doubleValue, let match = values.first(where: { $0.number == number }) { return match }
        default: break
        }
        switch json {
        case .int(let i): return .int(i)
        case .number(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        default: return nil
        }
    }

    static func config(fromJSON params: [String: JSONValue], space: Space) -> Config {
        var config = Config()
        for (name, json) in params {
            config[name] = parameterValue(json, for: space.parameter(named: name)?.distribution)
        }
        return config
    }

    static func jsonParams(_ config: Config) -> [String: JSONValue] { config.values.mapValues(json) }

    /// A configuration as a record, fields in the space's declaration order.
    static func record(_ config: Config, space: Space) -> Value {
        var fields: [(String, Value)] = []
        for p in space.parameters { if let v = config[p.name] { fields.append((p.name, value(v))) } }
        for name in config.values.keys.sorted() where space.parameter(named: name) == nil { fields.append((name, value(config[name]!))) }
        return record(fields)
    }

    /// Metrics as a record: those given as whole numbers come back as Ints.
    static func record(_ metrics: [String: Double], integers: Set<String>) -> Value {
        guard !integers.isEmpty else { return record(metrics) }
        return record(metrics.keys.sorted().map { key in
            let v = metrics[key]!
            return (key, integers.contains(key) && v == v.rounded() && abs(v) < 9e15 ? Value.int(Int(v)) : .float(v))
        })
    }

    static func record(_ metrics: [String: Double]) -> Value {
        record(metrics.keys.sorted().map { ($0, .float(metrics[$0]!)) })
    }

    /// A `.loop` value as JSON for key/value memory; functions and handles have no JSON form.
    static func json(_ value: Value) -> JSONValue? {
        switch value {
        case .nil: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d), .duration(let d): return .number(d)
        case .string(let s): return .string(s)
        case .range(let lo, let hi): return .array((lo..<hi).map { .int($0) })
        case .list(let items):
            var out: [JSONValue] = []
            for item in items { guard let j = json(item) else { return nil }; out.append(j) }
            return .array(out)
        case .record(let r):
            var out: [String: JSONValue] = [:]
            for (k, v) in r.fields { guard let j = json(v) else { return nil }; out[k] = j }
            return .object(out)
        case .function, .handle, .cell: return nil
        }
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .nil
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .number(let d): return .float(d)
        case .string(let s): return .string(s)
        case .array(let items): return .list(items.map(value))
        case .object(let fields):
            return record(fields.keys.sorted().map { ($0, value(fields[$0]!)) })
        }
    }

    /// A record with fields in the given order.
    static func record(_ fields: [(String, Value)]) -> Value {
        let storage = Record()
        for (name, value) in fields { storage.fields[name] = value }
        return .record(storage)
    }

    static func optional(_ d: Double?) -> Value { d.map { .float($0) } ?? .nil }
    static func optional(_ s: String?) -> Value { s.map { .string($0) } ?? .nil }
}
