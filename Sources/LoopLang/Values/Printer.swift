import Glibc
import LoopSupport
/// How values look in `print` (display) and when nested or echoed by the REPL (repr).
public enum Printer {
    static let maxDepth = 200

    /// The form `print` and `str` use: strings raw, everything else as `repr`.
    public static func display(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        return repr(value)
    }

    /// The form used inside lists and records and by the REPL's echo: strings quoted.
    public static func repr(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, depth: 0)
        return out
    }

    static func write(_ value: Value, into out: inout String, depth: Int) {
        switch value {
        case .nil: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let f): out += formatFloat(f)
        case .duration(let d): out += formatDuration(d)
        case .string(let s): out += quote(s)
        case .range(let lo, let hi): out += "\(lo)..<\(hi)"
        case .list(let items):
            if depth >= maxDepth { out += "[...]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                write(item, into: &out, depth: depth + 1)
            }
            out += "]"
        case .record(let r):
            if depth >= maxDepth { out += "{...}"; return }
            if r.fields.isEmpty { out += "{}"; return }
            out += "{"
            var first = true
            for (k, v) in r.fields {
                if !first { out += ", " }
                first = false
                out += isIdentifier(k) ? k : quote(k)
                out += ": "
                write(v, into: &out, depth: depth + 1)
            }
            out += "}"
        case .function(let f): out += "<fn \(f.name)>"
        case .handle(let h): out += h.type.summary(h.object)
        case .cell(let c): write(c.value, into: &out, depth: depth)
        }
    }

    public static func formatFloat(_ f: Double) -> String { f.description }

    private static let durationUnits: [(String, Double)] = [("d", 86400), ("h", 3600), ("m", 60), ("s", 1), ("ms", 0.001)]

    /// The largest unit that keeps the duration whole: `90s`, `2m`, `1500ms`. A duration that is
    /// not a whole number of milliseconds (a measured time) shows three significant digits in
    /// the largest unit it reaches: `8.26s`, not `8257.359921999978ms`.
    public static func formatDuration(_ seconds: Double) -> String {
        if let whole = wholeDuration(seconds) { return whole }
        guard seconds.isFinite else { return "\(formatFloat(seconds))s" }
        let (name, size) = durationUnits.first { abs(seconds) >= $0.1 } ?? ("ms", 0.001)
        return NumberFormat.significant(seconds / size, digits: 3) + name
    }


    /// A duration as source text that reads back as exactly the same value (a notebook's
    /// `let _2 = ...`): the whole form when there is one, else the seconds in full.
    public static func durationLiteral(_ seconds: Double) -> String {
        wholeDuration(seconds) ?? "\(formatFloat(seconds))s"
    }

    private static func wholeDuration(_ seconds: Double) -> String? {
        if seconds == 0 { return "0s" }
        for (name, size) in durationUnits {
            let n = seconds / size
            if abs(n) >= 1, n == n.rounded(), abs(n) < 1e15 {
                return "\(Int(n))\(name)"
            }
        }
        return nil
    }

    public static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(first >= 48 && first <= 57) else { return false }
        guard Keyword(rawValue: s) == nil else { return false }
        return s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
