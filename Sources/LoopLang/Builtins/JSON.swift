import LoopSupport

/// JSON text to and from values. Written here rather than via Foundation so records keep their
/// field order and Ints stay Ints.
public enum JSON {
    public static func encode(_ value: Value, pretty: Bool) throws(LoopError) -> String {
        var out = ""
        try write(value, &out, pretty: pretty, indent: 0)
        return out
    }

    private static func write(_ value: Value, _ out: inout String, pretty: Bool, indent: Int) throws(LoopError) {
        guard indent < 2000 else { throw LoopError(.invalidValue("value is nested too deeply for JSON")) }
        let newline = pretty ? "\n" + String(repeating: "  ", count: indent + 1) : ""
        let closing = pretty ? "\n" + String(repeating: "  ", count: indent) : ""
        switch value {
        case .nil: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let f), .duration(let f):
            guard f.isFinite else { throw LoopError(.invalidValue("cannot convert \(Printer.formatFloat(f)) to JSON")) }
            out += Printer.formatFloat(f)
        case .string(let s): out += JSONQuoting.quoted(s)
        case .range(let lo, let hi):
            // Written item by item, after checking the text fits in memory (each number and its
            // separator take at most 22 bytes; pretty printing adds the indentation).
            let n = try Ranges.count(lo, hi)
            try Allocation.require("json(\(lo)..<\(hi))", count: n, stride: 22 + (pretty ? 2 * indent + 3 : 0))
            if n == 0 { out += "[]"; return }
            out += "["
            for i in lo..<hi {
                out += (i > lo ? "," : "") + newline + String(i)
            }
            out += closing + "]"
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                out += (i > 0 ? "," : "") + newline
                try write(item, &out, pretty: pretty, indent: indent + 1)
            }
            out += closing + "]"
        case .record(let r):
            if r.fields.isEmpty { out += "{}"; return }
            out += "{"
            var first = true
            for (k, v) in r.fields {
                out += (first ? "" : ",") + newline + JSONQuoting.quoted(k) + (pretty ? ": " : ":")
                first = false
                try write(v, &out, pretty: pretty, indent: indent + 1)
            }
            out += closing + "}"
        case .cell(let c): try write(c.value, &out, pretty: pretty, indent: indent)
        case .function, .handle:
            throw LoopError(.invalidValue("cannot convert \(value.typeName) to JSON"))
        }
    }


    /// A value from JSON text (LoopSupport's one parser): objects become records in the order
    /// the text gives their keys.
    public static func decode(_ text: String) throws(LoopError) -> Value {
        do throws(JSONSyntaxError) { return try JSONReader.read(text, with: ValueBuilder()) } catch {
            throw LoopError(.invalidValue(error.description))
        }
    }

    private struct ValueBuilder: JSONBuilder {
        func null() -> Value { .nil }
        func bool(_ value: Bool) -> Value { .bool(value) }
        func int(_ value: Int) -> Value { .int(value) }
        func number(_ value: Double) -> Value { .float(value) }
        func string(_ value: String) -> Value { .string(value) }
        func array(_ items: [Value]) -> Value { .list(items) }
        func object(_ members: [(String, Value)]) -> Value {
            var fields = OrderedFields()
            for (key, value) in members { fields[key] = value }
            return .record(Record(fields))
        }
    }
}
