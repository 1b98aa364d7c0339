/// A `.loop` notebook as text: cells that start at `# %%` lines (jupytext's percent format),
/// each followed by the output of its last run as `#> ` lines, or its error as `#! ` lines.
///
///     # %% parameters
///     let lr = 0.01
///     # %%
///     print(lr * 2)
///     #> 0.02
///
/// Parsing and formatting round-trip: `NotebookFile(text).text == text` for a file whose outputs
/// are where a run puts them, so running an unchanged notebook leaves it byte-identical.
public struct NotebookFile: Equatable {
    public struct Cell: Equatable {
        /// The marker line (`# %%`, `# %% parameters`, `# %% [markdown]`); nil for text before
        /// the first marker.
        public var marker: String?
        /// The source lines, output lines removed and trailing blank lines trimmed.
        public var source: [String]
        /// What the last run printed (the text after `#> `).
        public var output: [String]
        /// The last run's error (the text after `#! `).
        public var error: [String]
        /// Blank lines after the cell, kept as they were.
        public var trailingBlankLines: Int

        public init(marker: String?, source: [String], output: [String] = [], error: [String] = [], trailingBlankLines: Int = 0) {
            self.marker = marker
            self.source = source
            self.output = output
            self.error = error
            self.trailingBlankLines = trailingBlankLines
        }

        /// `# %% parameters`: `let` defaults that `-p name=value` overrides.
        public var isParameters: Bool {
            guard let marker else { return false }
            return String(marker.dropFirst(4)).split(separator: " ").contains("parameters")
        }
        /// `# %% [markdown]`: comment lines of prose, not run.
        public var isMarkdown: Bool { marker?.contains("[markdown]") ?? false }
        /// Text before the first marker that holds no code (a heading comment, a shebang).
        public var isPreamble: Bool { marker == nil }
        /// Whether the cell runs: code cells, and a preamble that holds code.
        public var runs: Bool {
            !isMarkdown && source.contains { line in
                let t = line.trimmingWhitespace()
                return !t.isEmpty && !t.hasPrefix("#")
            }
        }
        public var code: String { source.joined(separator: "\n") }
    }

    public var cells: [Cell]
    /// Whether the file ended with a newline.
    public var endsWithNewline: Bool

    public init(cells: [Cell], endsWithNewline: Bool = true) {
        self.cells = cells
        self.endsWithNewline = endsWithNewline
    }

    public static func isMarker(_ line: String) -> Bool { line == "# %%" || line.hasPrefix("# %% ") }

    public init(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }
        var cells: [Cell] = []
        var current = Cell(marker: nil, source: [])
        var started = false
        func close() {
            while let last = current.source.last, last.trimmingWhitespace().isEmpty, current.output.isEmpty, current.error.isEmpty {
                current.source.removeLast()
                current.trailingBlankLines += 1
            }
            if started || !current.source.isEmpty || current.trailingBlankLines > 0 { cells.append(current) }
        }
        for line in lines {
            if NotebookFile.isMarker(line) {
                close()
                current = Cell(marker: line, source: [])
                started = true
            } else if current.marker != nil, let out = NotebookFile.payload(line, prefix: "#>") {
                current.output.append(out)
            } else if current.marker != nil, let err = NotebookFile.payload(line, prefix: "#!") {
                current.error.append(err)
            } else if line.trimmingWhitespace().isEmpty, !(current.output.isEmpty && current.error.isEmpty) {
                current.trailingBlankLines += 1
            } else {
                // A source line after outputs: the outputs were not where a run puts them; they
                // are dropped on the next run, and the source keeps going.
                if current.trailingBlankLines > 0, !(current.output.isEmpty && current.error.isEmpty) {
                    current.source += Array(repeating: "", count: current.trailingBlankLines)
                    current.trailingBlankLines = 0
                }
                current.source.append(line)
            }
        }
        close()
        self.cells = cells
    }

    /// `#> text` → `text`; `#>` → ``; other lines → nil.
    private static func payload(_ line: String, prefix: String) -> String? {
        if line == prefix { return "" }
        guard line.hasPrefix(prefix + " ") else { return nil }
        return String(line.dropFirst(prefix.count + 1))
    }

    public var text: String {
        var lines: [String] = []
        for cell in cells {
            if let marker = cell.marker { lines.append(marker) }
            lines += cell.source
            lines += cell.output.map { $0.isEmpty ? "#>" : "#> " + $0 }
            lines += cell.error.map { $0.isEmpty ? "#!" : "#! " + $0 }
            lines += Array(repeating: "", count: cell.trailingBlankLines)
        }
        return lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }
}
