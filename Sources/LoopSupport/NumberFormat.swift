import Glibc

/// Numbers as people read them, the one set of formatters every module uses (progress lines,
/// summaries, benchmark tables, chart labels, reports, durations). Built on integer arithmetic,
/// not Foundation's `String(format:)`, so the language core can use it and a chart with ten
/// thousand labelled points stays fast.
public enum NumberFormat {
    /// `85002` → `85,002`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Exactly `digits` decimals: `fixed(3.14159, digits: 2)` → `3.14`.
    public static func fixed(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e18 else { return "\(x)" }
        let n = Int(scaled), unit = Int(scale)
        var text = String(n / unit)
        if digits > 0 {
            let fraction = String(n % unit)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (x < 0 && n != 0 ? "-" : "") + text
    }

    /// `digits` significant digits without trailing zeros and without an exponent (`%g` inside
    /// its fixed range): `significant(8.2573, digits: 3)` → `8.26`.
    public static func significant(_ x: Double, digits: Int) -> String {
        guard x != 0, x.isFinite else { return x.description }
        let decimals = max(0, digits - 1 - Int(log10(abs(x)).rounded(.down)))
        let scale = pow(10, Double(decimals))
        guard abs(x) * scale < 9e15 else { return x.rounded().description }
        let scaled = Int((abs(x) * scale).rounded())
        let unit = Int(scale)
        var text = String(scaled / unit)
        if decimals > 0 {
            var fraction = String(scaled % unit)
            fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
            while fraction.last == "0" { fraction.removeLast() }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return (x < 0 ? "-" : "") + text
    }

    /// A data value as `%.6g` shows it: whole numbers as they are, others to six significant
    /// digits, with an exponent below 1e-4 and from 1e15 (`1.5e+20`).
    public static func readable(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        guard v.isFinite else { return v.description }
        let magnitude = Int(log10(abs(v)).rounded(.down))
        if magnitude >= -4, magnitude < 15 { return significant(v, digits: 6) }
        var mantissa = significant(v / pow(10, Double(magnitude)), digits: 6)
        var exponent = magnitude
        if mantissa.hasPrefix("10") || mantissa.hasPrefix("-10") {  // 9.999999e4 rounds up
            mantissa = v < 0 ? "-1" : "1"
            exponent += 1
        }
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    }

    /// About four significant digits with fixed decimals (table columns line up): `0.0773`,
    /// `1.234`, `123.4`, `5312`; tiny values with an exponent, `7.23e-06`.
    public static func short(_ x: Double) -> String {
        let magnitude = abs(x)
        guard magnitude.isFinite else { return "\(x)" }
        if magnitude >= 1000 { return fixed(x, digits: 0) }
        if magnitude >= 100 { return fixed(x, digits: 1) }
        if magnitude >= 10 { return fixed(x, digits: 2) }
        if magnitude >= 1 || magnitude == 0 { return fixed(x, digits: 3) }
        if magnitude >= 0.001 { return fixed(x, digits: 4) }
        var exponent = 0
        var mantissa = magnitude
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        return (x < 0 ? "-" : "") + fixed(mantissa, digits: 2) + "e-" + (-exponent < 10 ? "0" : "") + String(-exponent)
    }

    /// Ratios: two decimals, or significant digits when they would round to 0.00.
    public static func ratio(_ r: Double) -> String {
        abs(r) < 0.01 && r != 0 ? short(r) : fixed(r, digits: 2)
    }

    /// Elapsed time: `0.42s`, `12.3s`, `2m05s`.
    public static func seconds(_ s: Double) -> String {
        if s < 10 { return fixed(s, digits: 2) + "s" }
        if s < 60 { return fixed(s, digits: 1) + "s" }
        let total = Int(s.rounded())
        let sec = total % 60
        return "\(total / 60)m\(sec < 10 ? "0" : "")\(sec)s"
    }
}
