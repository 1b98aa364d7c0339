import LoopLang
/// One measured case of a benchmark: Looplab's value and the same case measured by reference
/// implementations (python3, lua5.4, numpy, torch...) in the same invocation.
struct BenchRow {
    var caseName: String
    var value: Double
    /// `s` for times (lower is better), `GFLOPS` or `examples/s` for rates (higher is better).
    var unit: String
    /// Reference name → its value, nil when the reference is not installed or failed.
    var references: [String: Double] = [:]
}

/// The output every `looplab bench ...` shares: a readable table, or with `--json` one JSON
/// object per line. The ratio is always looplab's value divided by the reference's, so for
/// times below 1 means Looplab is faster and for rates above 1 does.
struct BenchReport {
    var bench: String
    /// Column order of the references, also those that did not run (shown as "-").
    var referenceNames: [String]
    var rows: [BenchRow] = []
    /// A line printed under the table (how it was measured).
    var note: String?

    static func ratio(_ value: Double, _ reference: Double) -> Double? {
        reference > 0 && value.isFinite && reference.isFinite ? value / reference : nil
    }

    func jsonLines() -> [String] {
        /// One JSON object per line, through the language's own JSON writer (field order kept).
        func line(_ fields: [(String, Value)]) -> String {
            let record = Value.record(pairs: fields)
            return (try? JSON.encode(record, pretty: false)) ?? "{}"
        }
        func number(_ d: Double) -> Value { d.isFinite ? .float(d) : .nil }
        var lines: [String] = []
        for row in rows {
            let base: [(String, Value)] = [
                ("bench", .string(bench)), ("case", .string(row.caseName)),
                ("value", number(row.value)), ("unit", .string(row.unit)),
            ]
            let ran = referenceNames.compactMap { name in row.references[name].map { (name, $0) } }
            if ran.isEmpty {
                lines.append(line(base))
                continue
            }
            for (name, reference) in ran {
                var fields = base
                fields.append(("reference", .string(name)))
                fields.append(("reference_value", number(reference)))
                if let r = Self.ratio(row.value, reference) { fields.append(("ratio", number(r))) }
                lines.append(line(fields))
            }
        }
        return lines
    }

    func table() -> [String] {
        let unit = rows.first?.unit ?? ""
        var header = ["case", "looplab \(unit)"]
        for name in referenceNames { header += ["\(name) \(unit)", "ratio"] }
        var cells: [[String]] = [header]
        for row in rows {
            var line = [row.caseName, NumberFormat.significant(row.value)]
            for name in referenceNames {
                if let reference = row.references[name] {
                    line.append(NumberFormat.significant(reference))
                    line.append(Self.ratio(row.value, reference).map { NumberFormat.ratio($0) } ?? "-")
                } else {
                    line += ["-", "-"]
                }
            }
            cells.append(line)
        }
        let widths = (0..<header.count).map { column in cells.map { $0[column].count }.max() ?? 0 }
        var out = cells.map { line in
            line.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + pad : pad + text
            }.joined(separator: "   ")
        }
        out.insert("bench \(bench)", at: 0)
        if let note { out.append(note) }
        let missing = referenceNames.filter { name in rows.allSatisfy { $0.references[name] == nil } }
        if !missing.isEmpty { out.append("not measured (not installed or failed): \(missing.joined(separator: ", "))") }
        return out
    }

    func print(json: Bool) {
        for line in json ? jsonLines() : table() { Swift.print(line) }
    }
}

/// Fixed-point formatting without Foundation's `String(format:)`.
enum NumberFormat {
    static func fixed(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e18 else { return "\(x)" }
        let n = Int(scaled)
        let unit = Int(scale)
        var text = String(n / unit)
        if digits > 0 {
            let fraction = String(n % unit)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (x < 0 && n != 0 ? "-" : "") + text
    }

    /// About four significant digits: 0.0773, 1.234, 123.4, 5312.
    static func significant(_ x: Double) -> String {
        let magnitude = abs(x)
        if magnitude >= 1000 { return fixed(x, digits: 0) }
        if magnitude >= 100 { return fixed(x, digits: 1) }
        if magnitude >= 10 { return fixed(x, digits: 2) }
        if magnitude >= 1 || magnitude == 0 { return fixed(x, digits: 3) }
        if magnitude >= 0.001 { return fixed(x, digits: 4) }
        guard magnitude.isFinite else { return "\(x)" }
        // Tiny values (regrets near zero): three significant digits and an exponent, 7.23e-06.
        var exponent = 0
        var mantissa = magnitude
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        let digits = fixed(mantissa, digits: 2)
        return (x < 0 ? "-" : "") + digits + "e-" + (-exponent < 10 ? "0" : "") + String(-exponent)
    }

    /// Ratios: two decimals, or significant digits when they would round to 0.00.
    static func ratio(_ r: Double) -> String {
        abs(r) < 0.01 && r != 0 ? significant(r) : fixed(r, digits: 2)
    }
}

extension BenchReport {
    /// A report of `Rounds.measure`'s medians against one reference.
    init(bench: String, measured: (looplab: [Rounds.Measured], reference: Result<[String: Double], PythonReference.Skipped>),
         reference name: String) {
        self.init(bench: bench, referenceNames: [name])
        for m in measured.looplab {
            var row = BenchRow(caseName: m.name, value: m.value, unit: m.unit)
            if case .success(let values) = measured.reference, let v = values[m.name] { row.references[name] = v }
            rows.append(row)
        }
    }
}
