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


    public static func decode(_ text: String) throws(LoopError) -> Value {
        var p = JSONParser(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i < p.bytes.count { throw p.fail("unexpected text after the value") }
        return v
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var i = 0

    func fail(_ what: String) -> LoopError {
        var line = 1, column = 1
        for b in bytes[0..<min(i, bytes.count)] {
            if b == 10 { line += 1; column = 1 } else { column += 1 }
        }
        return LoopError(.invalidValue("invalid JSON at line \(line) column \(column): \(what)"))
    }

    mutating func skipSpace() {
        while i < bytes.count, [32, 9, 10, 13].contains(bytes[i]) { i += 1 }
    }

    mutating func literal(_ word: String, _ v: Value) throws(LoopError) -> Value {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("unexpected character") }
        i += w.count
        return v
    }

    mutating func value(depth: Int) throws(LoopError) -> Value {
        guard depth < 1000 else { throw fail("nested too deeply") }
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "n"): return try literal("null", .nil)
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "{"):
            i += 1
            var fields = OrderedFields()
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .record(Record(fields)) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                fields[key] = try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .record(Record(fields)) }
                throw fail("expected ',' or '}'")
            }
        default:
            return try number()
        }
    }

    mutating func number() throws(LoopError) -> Value {
        let start = i
        var isFloat = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        while i < bytes.count {
            let c = bytes[i]
            if c >= 48 && c <= 57 { i += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || ((c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && i > start) {
                isFloat = true; i += 1; continue
            }
            break
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard !text.isEmpty, text != "-" else { throw fail("unexpected character") }
        if !isFloat, let n = Int(text) { return .int(n) }
        guard let d = Double(text) else { throw fail("invalid number '\(text)'") }
        return .float(d)
    }

    mutating func string() throws(LoopError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard i < bytes.count else { throw fail("unterminated string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "u"):
                guard i + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                    throw fail("invalid \\u escape")
                }
                i += 4
                var scalarValue = code
                if (0xD800..<0xDC00).contains(code), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                   let low = UInt32(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low) {
                    scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(scalar).utf8))
            default: throw fail("invalid escape")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
