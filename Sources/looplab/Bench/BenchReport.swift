import LoopLang
import LoopSupport
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
        // One unit for the whole table goes in the header; mixed units go beside each value.
        let mixed = Set(rows.map(\.unit)).count > 1
        let unit = mixed ? "" : " " + (rows.first?.unit ?? "")
        var header = ["case", "looplab\(unit)"]
        for name in referenceNames { header += ["\(name)\(unit)", "ratio"] }
        var cells: [[String]] = [header]
        for row in rows {
            func shown(_ value: Double) -> String { NumberFormat.short(value) + (mixed ? " " + row.unit : "") }
            var line = [row.caseName, shown(row.value)]
            for name in referenceNames {
                if let reference = row.references[name] {
                    line.append(shown(reference))
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
