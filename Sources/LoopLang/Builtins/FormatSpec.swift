import Glibc

/// `fmt(x, spec)`: Python's format-spec mini-language, the part a table or a log line needs:
/// `[[fill]align][sign][width][,][.precision][type]` with align `<` `>` `^`, sign `+` or ` `,
/// types `f` (fixed), `e` (exponent), `g` (significant digits), `%` (times 100, fixed, `%`),
/// `d` (an Int), `s` (as `print` shows it). Examples: `fmt(0.93127, ".3f")` is `0.931`,
/// `fmt(12345678, ",d")` is `12,345,678`, `fmt("lr", ">8")` is `      lr`.
public struct FormatSpec {
    /// `value` formatted by `spec` (what `fmt` does).
    public static func format(_ value: Value, spec: String) throws(LoopError) -> String {
        try FormatSpec(spec).format(value)
    }

    var fill: Character = " "
    var align: Character?
    var sign: Character?
    var width = 0
    var grouping = false
    var precision: Int?
    var type: Character?

    /// Parses a spec; nil describes what is wrong.
    init(_ text: String) throws(LoopError) {
        var chars = Array(text)
        func bad(_ why: String) -> LoopError { LoopError(.invalidValue("fmt: bad format spec \"\(text)\": \(why)")) }
        if chars.count >= 2, "<>^".contains(chars[1]) {
            fill = chars[0]; align = chars[1]; chars.removeFirst(2)
        } else if let first = chars.first, "<>^".contains(first) {
            align = first; chars.removeFirst()
        }
        if let first = chars.first, first == "+" || first == " " || first == "-" { sign = first; chars.removeFirst() }
        var digits = ""
        while let c = chars.first, c.isASCII, c.isNumber { digits.append(c); chars.removeFirst() }
        if !digits.isEmpty {
            guard let w = Int(digits), w <= 1000 else { throw bad("the width must be at most 1000") }
            width = w
        }
        if chars.first == "," { grouping = true; chars.removeFirst() }
        if chars.first == "." {
            chars.removeFirst()
            var p = ""
            while let c = chars.first, c.isASCII, c.isNumber { p.append(c); chars.removeFirst() }
            guard let n = Int(p), n <= 100 else { throw bad("a precision (at most 100) must follow '.'") }
            precision = n
        }
        if let t = chars.first {
            guard "fegd%s".contains(t) else { throw bad("unknown type '\(t)' (use f, e, g, d, % or s)") }
            type = t; chars.removeFirst()
        }
        guard chars.isEmpty else { throw bad("unexpected '\(String(chars))'") }
    }

    func format(_ value: Value) throws(LoopError) -> String {
        var body: String
        switch (type, value) {
        case ("s", _), (nil, .string), (nil, .bool), (nil, .nil), (nil, .list), (nil, .record), (nil, .handle), (nil, .range), (nil, .function), (nil, .duration), (nil, .cell):
            body = Printer.display(value)
            if let precision, case .string = value { body = String(body.prefix(precision)) }
        case ("d", .int(let i)), (nil, .int(let i)):
            body = withSign(String(i.magnitude), negative: i < 0)
        case ("d", .float(let f)) where f == f.rounded() && abs(f) < 9e15:
            body = withSign(String(Int(abs(f))), negative: f < 0)
        case (let t, _):
            guard let x = value.number else {
                throw LoopError(.invalidValue("fmt: '\(t.map(String.init) ?? "")' formats numbers, got \(value.typeName)"))
            }
            if t == "d" { throw LoopError(.invalidValue("fmt: 'd' formats whole numbers, got \(Printer.repr(value))")) }
            body = number(x, type: t ?? "g")
        }
        if grouping { body = grouped(body) }
        let padding = width - body.count
        guard padding > 0 else { return body }
        let pad = { (n: Int) in String(repeating: self.fill, count: n) }
        switch align ?? (value.number != nil && type != "s" ? ">" : "<") {
        case ">": return pad(padding) + body
        case "^": return pad(padding / 2) + body + pad(padding - padding / 2)
        default: return body + pad(padding)
        }
    }

    private func number(_ x: Double, type: Character) -> String {
        guard x.isFinite else { return withSign(x.isNaN ? "nan" : "inf", negative: x < 0) }
        let p = precision ?? (type == "g" ? 6 : 6)
        switch type {
        case "%": return withSign(printf("%.\(p)f", abs(x) * 100) + "%", negative: x < 0)
        case "e": return withSign(printf("%.\(p)e", abs(x)), negative: x < 0)
        case "g": return withSign(printf("%.\(max(p, 1))g", abs(x)), negative: x < 0)
        default: return withSign(printf("%.\(p)f", abs(x)), negative: x < 0)
        }
    }

    private func withSign(_ digits: String, negative: Bool) -> String {
        if negative { return "-" + digits }
        switch sign {
        case "+": return "+" + digits
        case " ": return " " + digits
        default: return digits
        }
    }

    /// Thousands separators in the integer part.
    private func grouped(_ text: String) -> String {
        var sign = "", rest = Substring(text)
        if let first = rest.first, first == "-" || first == "+" || first == " " { sign = String(first); rest = rest.dropFirst() }
        let intEnd = rest.firstIndex { !$0.isNumber } ?? rest.endIndex
        let digits = Array(rest[..<intEnd])
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return sign + out + rest[intEnd...]
    }

    /// C's printf for one Double, without Foundation.
    private func printf(_ format: String, _ x: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let n = withVaList([x]) { vsnprintf(&buffer, buffer.count, format, $0) }
        guard n >= 0 else { return x.description }
        if Int(n) >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(n) + 1)
            _ = withVaList([x]) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
