import LoopLab
import LoopLang

/// `looplab run --write-back nb.loop`: runs a notebook's cells in order, REPL-style (a bare
/// expression's value is echoed as `[N] value`, a later cell may redefine a name), and writes
/// each cell's output back under it as `#> ` lines. A cell that raises is marked with `#! `
/// lines and the run stops there (the cells after it lose their stale outputs); Ctrl-C marks
/// the cell interrupted. Charts the cells draw are kept as SVG files beside the notebook
/// (`NB.plots/cellN-K.svg`), named in the output, for `notebook export` and `report`.
public struct NotebookRunner {
    public enum Outcome: Equatable {
        case completed
        /// A cell raised; its number (1-based, among the cells that run).
        case failed(cell: Int)
        case interrupted(cell: Int)
    }

    public let path: String
    /// `-p name=value` overrides for the `# %% parameters` cell.
    public let parameters: [(name: String, value: String)]

    public init(path: String, parameters: [(name: String, value: String)] = []) {
        self.path = path
        self.parameters = parameters
    }

    /// The directory the charts of a notebook go to: `nb.plots` beside `nb.loop`.
    public static func plotsDirectory(for path: String) -> String {
        (path.hasSuffix(".loop") ? String(path.dropLast(5)) : path) + ".plots"
    }

    /// Runs the notebook in `interpreter` (its output still reaches the terminal) and gives the
    /// rewritten file and how the run ended. The caller writes the file.
    public func run(_ notebook: NotebookFile, interpreter: Interpreter) -> (NotebookFile, Outcome) {
        var result = notebook
        let repl = REPL(interpreter: interpreter, editor: NoEditor())
        let capture = PlotCapture.install(on: interpreter, width: 80)
        _ = capture.take()
        var outcome = Outcome.completed
        let plotsDirectory = NotebookRunner.plotsDirectory(for: path)
        var keptPlots: Set<String> = []
        let requests = Interrupt.requestCount
        for index in result.cells.indices {
            guard result.cells[index].runs else { continue }
            // A Ctrl-C between cells stops the run as one inside a cell would.
            if outcome == .completed, Interrupt.requestCount != requests { outcome = .interrupted(cell: repl.nextCellNumber - 1) }
            if outcome != .completed {
                result.cells[index].output = []
                result.cells[index].error = []
                continue
            }
            let number = repl.nextCellNumber
            let value = repl.runCell(result.cells[index].code)
            let cell = repl.cells[repl.cells.count - 1]
            var output = NotebookRunner.lines(cell.output)
            for (k, svg) in cell.plots.enumerated() {
                let name = "cell\(number)-\(k + 1).svg"
                let file = plotsDirectory + "/" + name
                if (try? POSIXFiles.makeDirectory(plotsDirectory)) != nil, (try? POSIXFiles.writeText(file, svg)) != nil {
                    keptPlots.insert(name)
                    output.append("(plot: \(NotebookRunner.relative(file, to: path)))")
                }
            }
            result.cells[index].error = []
            if value == nil, let error = repl.lastError {
                if error.kind == "interrupted" {
                    result.cells[index].error = ["interrupted (Ctrl-C)"]
                    outcome = .interrupted(cell: number)
                } else {
                    result.cells[index].error = NotebookRunner.lines(DiagnosticRenderer.render(error))
                    outcome = .failed(cell: number)
                }
            }
            result.cells[index].output = output
            if result.cells[index].isParameters, outcome == .completed, !parameters.isEmpty {
                result.cells[index].output += applyParameters(repl)
            }
        }
        NotebookRunner.removeStalePlots(in: plotsDirectory, keeping: keptPlots)
        return (result, outcome)
    }

    /// Defines each `-p name=value` after the parameters cell, and says so in its output.
    private func applyParameters(_ repl: REPL) -> [String] {
        parameters.map { name, text in
            let value = NotebookRunner.parameterValue(text)
            repl.interpreter.define(name, value)
            return "parameter \(name) = \(Printer.repr(value)) (-p)"
        }
    }

    /// `-p` text as a value: an Int, a Float, a Bool, or else the String itself.
    static func parameterValue(_ text: String) -> Value {
        if let i = Int(text) { return .int(i) }
        if let d = Double(text) { return .float(d) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(text)
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `file` relative to the notebook's directory when it lies below it.
    static func relative(_ file: String, to notebook: String) -> String {
        guard let slash = notebook.lastIndex(of: "/") else { return file }
        let directory = String(notebook[...slash])
        return file.hasPrefix(directory) ? String(file.dropFirst(directory.count)) : file
    }

    /// Charts of cells that no longer draw them would mislead an export.
    private static func removeStalePlots(in directory: String, keeping: Set<String>) {
        guard let names = try? POSIXFiles.listDirectory(directory) else { return }
        for name in names where name.hasPrefix("cell") && name.hasSuffix(".svg") && !keeping.contains(name) {
            POSIXFiles.removeTree(directory + "/" + name)
        }
    }
}

/// A line editor with nothing to read: the notebook runner drives the REPL's cells itself.
final class NoEditor: LineEditor {
    func readLine(prompt: String) -> LineResult { .eof }
    func addHistory(_ entry: String) {}
    var completionHandler: CompletionHandler?
}
