/// Rows of text cells as aligned columns: a header, two spaces between columns, numbers
/// right-aligned and text left-aligned, no trailing spaces.
public struct TextTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]
    /// Per column: right-align (numbers).
    public var rightAligned: [Bool]

    public init(columns: [String], rows: [[String]], rightAligned: [Bool]? = nil) {
        self.columns = columns
        self.rows = rows
        self.rightAligned = rightAligned ?? Array(repeating: false, count: columns.count)
    }

    public func render() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for i in columns.indices {
                let cell = i < cells.count ? cells[i] : ""
                let gap = String(repeating: " ", count: widths[i] - cell.count)
                if i > 0 { out += "  " }
                out += rightAligned[i] ? gap + cell : cell + gap
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n")
    }
}
