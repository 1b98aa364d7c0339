import ArgumentParser
import Foundation
import LoopREPL

/// `looplab notebook export nb.loop --ipynb [-o FILE]`.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook", abstract: "Work with .loop notebooks (cells start with `# %%`).",
        discussion: "Run one and keep its outputs in the file with `looplab run --write-back nb.loop`; render it as HTML with `looplab report nb.loop`.",
        subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a notebook as a Jupyter notebook (nbformat 4.5), with its outputs and charts.")

        @ArgumentParser.Argument(help: "The notebook (FILE.loop).") var notebook: String
        @Flag(help: "Jupyter's .ipynb (the only format so far; say it to be explicit).") var ipynb = false
        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write (default: the notebook's name with .ipynb).", valueName: "FILE"))
        var output: String?

        func run() throws {
            guard let text = try? String(contentsOfFile: notebook, encoding: .utf8) else {
                Diagnostics.printError("looplab notebook export: cannot read '\(notebook)'")
                throw ExitCode(ExitStatus.usage)
            }
            let path = output ?? (notebook.hasSuffix(".loop") ? String(notebook.dropLast(5)) : notebook) + ".ipynb"
            let json: String
            do { json = try NotebookExport.ipynb(NotebookFile(text), notebookPath: notebook) } catch {
                Diagnostics.printError("looplab notebook export: \(error)")
                throw ExitCode(1)
            }
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path)")
        }
    }
}
