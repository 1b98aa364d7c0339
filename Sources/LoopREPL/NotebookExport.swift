import LoopLab
import LoopLang
import LoopPlot

/// A notebook as other tools show it: a Jupyter notebook (nbformat 4.5: code cells with their
/// output as stream text, charts as `image/svg+xml`, errors as error outputs; `# %% [markdown]`
/// cells as markdown), or one self-contained HTML page.
public enum NotebookExport {
    /// The charts a cell's output names (`(plot: nb.plots/cell3-1.svg)`), read relative to the
    /// notebook's directory; a missing file is left out.
    static func plots(_ cell: NotebookFile.Cell, notebookPath: String) -> [String] {
        let directory = POSIXFiles.parent(notebookPath)
        return cell.output.compactMap { line in
            guard line.hasPrefix("(plot: "), line.hasSuffix(")") else { return nil }
            let file = String(line.dropFirst(7).dropLast())
            return try? POSIXFiles.readText(file.hasPrefix("/") ? file : directory + "/" + file)
        }
    }

    /// The text output without the lines that name charts.
    static func text(_ cell: NotebookFile.Cell) -> [String] {
        cell.output.filter { !($0.hasPrefix("(plot: ") && $0.hasSuffix(")")) }
    }

    public static func ipynb(_ notebook: NotebookFile, notebookPath: String) throws(LoopError) -> String {
        var cells: [Value] = []
        var count = 0
        for (i, cell) in notebook.cells.enumerated() {
            let id = Value.string("cell-\(i + 1)")
            if cell.isMarkdown || (cell.isPreamble && !cell.runs) {
                let lines = cell.source.map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : ($0 == "#" ? "" : $0) }
                cells.append(.record(pairs: [("cell_type", .string("markdown")), ("id", id), ("metadata", .record(Record())),
                                             ("source", sourceLines(lines))]))
                continue
            }
            guard cell.runs || !cell.source.isEmpty else { continue }
            var outputs: [Value] = []
            let text = self.text(cell)
            if !text.isEmpty {
                outputs.append(.record(pairs: [("output_type", .string("stream")), ("name", .string("stdout")),
                                               ("text", sourceLines(text, finalNewline: true))]))
            }
            for svg in plots(cell, notebookPath: notebookPath) {
                outputs.append(.record(pairs: [("output_type", .string("display_data")),
                                               ("data", .record(pairs: [("image/svg+xml", sourceLines(NotebookRunner.lines(svg), finalNewline: true)),
                                                                         ("text/plain", .list([.string("<chart>")]))])),
                                               ("metadata", .record(Record()))]))
            }
            if !cell.error.isEmpty {
                outputs.append(.record(pairs: [("output_type", .string("error")), ("ename", .string(errorName(cell.error))),
                                               ("evalue", .string(cell.error.first ?? "")), ("traceback", .list(cell.error.map { .string($0) }))]))
            }
            if cell.runs { count += 1 }
            cells.append(.record(pairs: [("cell_type", .string("code")), ("id", id), ("metadata", .record(Record())),
                                         ("execution_count", cell.runs && !(cell.output.isEmpty && cell.error.isEmpty) ? .int(count) : .nil),
                                         ("source", sourceLines(cell.isPreamble ? cell.source : cell.source)), ("outputs", .list(outputs))]))
        }
        let document = Value.record(pairs: [
            ("nbformat", .int(4)), ("nbformat_minor", .int(5)),
            ("metadata", .record(pairs: [
                ("kernelspec", .record(pairs: [("name", .string("looplab")), ("display_name", .string("Looplab")), ("language", .string("loop"))])),
                ("language_info", .record(pairs: [("name", .string("loop")), ("file_extension", .string(".loop")), ("version", .string(LoopLab.version))])),
            ])),
            ("cells", .list(cells)),
        ])
        return try JSON.encode(document, pretty: true) + "\n"
    }

    /// Jupyter's multi-line strings: a list of lines, each but the last ending in a newline.
    private static func sourceLines(_ lines: [String], finalNewline: Bool = false) -> Value {
        .list(lines.enumerated().map { i, line in .string(line + (i < lines.count - 1 || finalNewline ? "\n" : "")) })
    }

    /// `error: undefined variable 'x'` → `name error` from the `= name error` line, else "error".
    private static func errorName(_ lines: [String]) -> String {
        lines.last { $0.trimmingWhitespace().hasPrefix("= ") }.map { String($0.trimmingWhitespace().dropFirst(2)) } ?? "error"
    }

    /// The notebook as one self-contained HTML page: code, outputs, charts inline, errors marked.
    public static func html(_ notebook: NotebookFile, notebookPath: String) -> String {
        var out = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Markup.escape(notebookPath)) — Looplab notebook</title>
            <style>body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:1000px;margin:0 auto;padding:0 16px 40px}
            pre{background:#f6f8fa;padding:8px 10px;border-radius:4px;overflow-x:auto;font-size:12.5px}pre.out{background:#fff;border-left:3px solid #ccc}
            pre.err{background:#fff4f4;border-left:3px solid #d33;color:#900}.cell{margin:14px 0}.n{color:#888;font-size:12px}svg{max-width:100%;height:auto}</style>
            </head><body><h1>\(Markup.escape(notebookPath))</h1>

            """
        var count = 0
        for cell in notebook.cells {
            if cell.isMarkdown || (cell.isPreamble && !cell.runs) {
                out += "<div class=\"cell md\"><p>" + cell.source.map { Markup.escape($0.hasPrefix("# ") ? String($0.dropFirst(2)) : $0) }.joined(separator: "<br>") + "</p></div>\n"
                continue
            }
            guard !cell.source.isEmpty else { continue }
            if cell.runs { count += 1 }
            out += "<div class=\"cell\">" + (cell.runs ? "<div class=\"n\">[\(count)]\(cell.isParameters ? " parameters" : "")</div>" : "")
            out += "<pre class=\"code\">\(Markup.escape(cell.code))</pre>"
            let text = self.text(cell)
            if !text.isEmpty { out += "<pre class=\"out\">\(Markup.escape(text.joined(separator: "\n")))</pre>" }
            for svg in plots(cell, notebookPath: notebookPath) { out += "<div class=\"plot\">\(svg)</div>" }
            if !cell.error.isEmpty { out += "<pre class=\"err\">\(Markup.escape(cell.error.joined(separator: "\n")))</pre>" }
            out += "</div>\n"
        }
        return out + "<footer class=\"n\">Written by Looplab \(LoopLab.version).</footer></body></html>\n"
    }
}
