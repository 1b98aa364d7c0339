import LoopLang
import LoopPlot

/// A table of values that shows itself as aligned columns (`head`, `describe`, `value_counts`,
/// `confusion` give one; `print` or the REPL shows it), and `table`/`format_table` for any rows.
final class TableBox {
    let columns: [String]
    let rows: [[Value]]
    let title: String?

    init(columns: [String], rows: [[Value]], title: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.title = title
    }

    /// The table's text: Floats to four significant digits, numbers right-aligned.
    var text: String {
        let numeric = columns.indices.map { i in rows.allSatisfy { i >= $0.count || $0[i].isNumberOrNil } && !rows.isEmpty }
        let body = TextTable(columns: columns, rows: rows.map { $0.map(TableBox.cell) }, rightAligned: numeric).render()
        return title.map { $0 + "\n" + body } ?? body
    }

    static func cell(_ v: Value) -> String {
        switch v {
        case .nil: return ""
        case .float(let f): return (try? FormatSpec.format(v, spec: ".4g")) ?? Printer.display(.float(f))
        default: return Printer.display(v)
        }
    }

    static let type = HostType(
        name: "Table", doc: "Rows shown as aligned columns.", summary: { ($0 as! TableBox).text },
        members: [
            "columns": .property(doc: "The column names.") { .list(($0 as! TableBox).columns.map { .string($0) }) },
            "rows": .property(doc: "The rows as records.") { object in
                let box = object as! TableBox
                return .list(box.rows.map { row in .record(pairs: zip(box.columns, row).map { ($0, $1) }) })
            },
            "count": .property(doc: "The number of rows.") { .int(($0 as! TableBox).rows.count) },
        ])

    /// A table from rows as `table` takes them: records (columns are their fields in the order
    /// first seen, unless `columns` names them) or lists (the first row is the header, unless
    /// `columns` is given).
    static func from(_ rows: [Value], columns given: [String]?, function: String) throws(LoopError) -> TableBox {
        guard let first = rows.first else { return TableBox(columns: given ?? [], rows: []) }
        if case .record = first {
            var columns = given ?? []
            var records: [Record] = []
            for row in rows {
                guard case .record(let r) = row else { throw PlotData.plotError(function, "rows must all be records or all lists; found \(row.typeName)") }
                records.append(r)
                if given == nil { for key in r.fields.keys where !columns.contains(key) { columns.append(key) } }
            }
            return TableBox(columns: columns, rows: records.map { r in columns.map { r.fields[$0] ?? .nil } })
        }
        var lists: [[Value]] = []
        for row in rows {
            guard case .list(let items) = row else { throw PlotData.plotError(function, "rows must all be records or all lists; found \(row.typeName)") }
            lists.append(items)
        }
        if let given { return TableBox(columns: given, rows: lists) }
        return TableBox(columns: lists[0].map { Printer.display($0) }, rows: Array(lists.dropFirst()))
    }
}

enum TablePrimitives {
    static func register(into registry: Registry) {
        registry.register(TableBox.type)
        registry.function("table", NativeParameters.list(P.rows, P.columns),
                          doc: "Prints rows — records (columns are their fields) or lists (the first is the header) — as aligned columns: numbers right-aligned, Floats to 4 significant digits.") { call throws(LoopError) in
            call.interpreter.output.write(try make(call).text + "\n")
            return .nil
        }
        registry.function("format_table", NativeParameters.list(P.rows, P.columns),
                          doc: "The table that table(rows) prints, as a String.") { call throws(LoopError) in
            .string(try make(call).text)
        }
    }

    private enum P {
        static let rows = Param.value("rows", doc: "a List of records (their fields are the columns) or of lists (the first is the header), or a Table")
        static let columns = Param.optionalStrings("columns", doc: "which columns, in this order (default: all)")
    }

    private static func make(_ call: NativeCall) throws(LoopError) -> TableBox {
        switch try call[P.rows] {
        case .list(let rows): return try TableBox.from(rows, columns: try call[P.columns], function: call.function.name)
        case .handle(let h) where h.object is TableBox: return h.object as! TableBox
        case let other: throw call.wrongType(P.rows.name, expected: "a List of records or lists", got: other)
        }
    }
}

extension Value {
    var isNumberOrNil: Bool {
        switch self {
        case .int, .float, .nil: return true
        default: return false
        }
    }
}
