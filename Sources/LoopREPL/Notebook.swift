import LoopLang

/// A session written out as a `.loop` notebook (`:save`):
///
///     # %%
///     let xs = [3, 1, 2]
///     # %%
///     xs.sorted()
///     #> [2] [1, 2, 3]
///
/// `# %%` starts each cell; the cell's output (what it printed and its echoed result) follows
/// as `#> ` comment lines, so the file runs again with `looplab run`. Cells that raised errors
/// are left out. A script has no `_` or `_N`, so when a later cell uses one, the value is
/// written after the cell that produced it (`let _2 = [1, 2, 3]`) when it can be written as a
/// literal.
public struct Notebook {
    public private(set) var text = ""
    public private(set) var cellCount = 0
    public private(set) var omittedFailures = 0

    public init(cells: [SessionCell]) {
        let kept = cells.filter { !$0.failed }
        omittedFailures = cells.count - kept.count
        cellCount = kept.count
        let bindings = Self.resultBindings(kept)
        var underscoreDeclared = false
        for (index, cell) in kept.enumerated() {
            text += "# %%\n"
            if let path = cell.loadedFrom { text += "# :load \(path)\n" }
            text += cell.source.trimmingTrailingBlankLines()
            if !text.hasSuffix("\n") { text += "\n" }
            text += Self.outputComment(cell.output)
            guard let number = cell.number, let value = cell.result else { continue }
            let need = bindings[index] ?? []
            if need.contains("_\(number)") { text += Self.binding("let _\(number)", value, number: number) }
            if need.contains("_") {
                text += Self.binding(underscoreDeclared ? "_" : "var _", value, number: number)
                underscoreDeclared = true
            }
        }
    }

    /// For each kept cell (by index), which of `_N` and `_` later cells read from it.
    private static func resultBindings(_ cells: [SessionCell]) -> [Int: Set<String>] {
        var needs: [Int: Set<String>] = [:]
        var indexOfNumber: [Int: Int] = [:]
        var lastResult: Int?
        for (index, cell) in cells.enumerated() {
            for name in Set(SourceScan(cell.source).identifiers) where REPL.isResultName(name) {
                if name == "_" {
                    if let producer = lastResult { needs[producer, default: []].insert("_") }
                } else if let n = Int(name.dropFirst()), let producer = indexOfNumber[n] {
                    needs[producer, default: []].insert(name)
                }
            }
            if let number = cell.number, cell.result != nil {
                indexOfNumber[number] = index
                lastResult = index
            }
        }
        return needs
    }

    private static func binding(_ target: String, _ value: Value, number: Int) -> String {
        if let literal = literal(value) {
            return "\(target) = \(literal)  # the REPL's result [\(number)]\n"
        }
        return "# \(target) = <\(value.typeName)>: result [\(number)] cannot be written as a literal\n"
    }

    private static func outputComment(_ output: String) -> String {
        guard !output.isEmpty else { return "" }
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.isEmpty ? "#>\n" : "#> \($0)\n" }.joined()
    }

    /// `.loop` source that evaluates to `value`, when there is one.
    public static func literal(_ value: Value) -> String? {
        switch value {
        case .nil, .bool, .int, .string, .range:
            return Printer.repr(value)
        case .float(let f):
            if f.isNaN { return nil }
            if f.isInfinite { return f > 0 ? "inf" : "-inf" }
            return Printer.repr(value)
        case .duration(let d):
            return d.isFinite ? Printer.durationLiteral(d) : nil
        case .list(let items):
            var parts: [String] = []
            for item in items {
                guard let p = literal(item) else { return nil }
                parts.append(p)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .record(let record):
            var parts: [String] = []
            for (key, item) in record.fields {
                guard let p = literal(item) else { return nil }
                parts.append((Printer.isIdentifier(key) ? key : Printer.quote(key)) + ": " + p)
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .cell(let c):
            return literal(c.value)
        case .function, .handle:
            return nil
        }
    }
}
