import LoopSupport

/// Writes a `TOMLTable` as TOML text, deterministically: keys in the table's order, plain values
/// first, then sub-tables as `[a.b]`, then arrays of tables as `[[a.b]]`.
public enum TOMLWriter {
    public static func write(_ table: TOMLTable) -> String {
        var out = ""
        write(table, path: [], into: &out)
        return out
    }

    private static func write(_ table: TOMLTable, path: [String], into out: inout String) {
        var tables: [(String, TOMLTable)] = []
        var arrays: [(String, [TOMLTable])] = []
        for key in table.keys {
            switch table[key]! {
            case .table(let sub): tables.append((key, sub))
            case .array(let items) where !items.isEmpty && items.allSatisfy(isTable):
                arrays.append((key, items.compactMap { if case .table(let t) = $0 { t } else { nil } }))
            case let value: out += "\(quoteKey(key)) = \(inline(value))\n"
            }
        }
        for (key, sub) in tables {
            let subPath = path + [key]
            out += (out.isEmpty ? "" : "\n") + "[\(subPath.map(quoteKey).joined(separator: "."))]\n"
            write(sub, path: subPath, into: &out)
        }
        for (key, items) in arrays {
            let subPath = path + [key]
            for item in items {
                out += (out.isEmpty ? "" : "\n") + "[[\(subPath.map(quoteKey).joined(separator: "."))]]\n"
                write(item, path: subPath, into: &out)
            }
        }
    }

    private static func isTable(_ value: TOMLValue) -> Bool {
        if case .table = value { return true }
        return false
    }

    /// A value on one line (arrays and tables inline).
    public static func inline(_ value: TOMLValue) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .integer(let n): return String(n)
        case .float(let x):
            if x.isNaN { return "nan" }
            if x.isInfinite { return x < 0 ? "-inf" : "inf" }
            let text = String(x)
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .boolean(let b): return b ? "true" : "false"
        case .array(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
        case .table(let t):
            if t.keys.isEmpty { return "{}" }
            return "{ " + t.keys.map { "\(quoteKey($0)) = \(inline(t[$0]!))" }.joined(separator: ", ") + " }"
        }
    }

    static func quoteKey(_ key: String) -> String {
        !key.isEmpty && key.utf8.allSatisfy(TOMLParser.isBareKeyByte) ? key : quote(key)
    }

    /// A basic string with the escapes TOML requires.
    static func quote(_ s: String) -> String { JSONQuoting.quoted(s) }
}
