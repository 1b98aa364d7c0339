import ArgumentParser
import Foundation
import LoopLab
import LoopStore

/// `looplab export STUDY --format tsv|csv|jsonl [-o FILE]`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a study's trials as TSV (id, metric, status, description), CSV or JSON lines.",
        discussion: "Writes to stdout unless -o FILE is given; the format defaults to FILE's extension, else tsv.")

    @ArgumentParser.Argument(help: "The study's name.") var study: String
    @Option(help: "tsv, csv or jsonl.") var format: String?
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let format, StudyExport.Format(rawValue: format) == nil {
            throw ValidationError("--format must be tsv, csv or jsonl, not '\(format)'")
        }
    }

    func run() throws {
        let chosen = format.flatMap(StudyExport.Format.init(rawValue:)) ?? output.flatMap(StudyExport.Format.init(path:)) ?? .tsv
        let db = try store.open()
        let (s, trials) = try store.study(study, in: db)
        let text = StudyExport.render(s, trials: trials, format: chosen)
        guard let output else { print(text, terminator: ""); return }
        do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
            Diagnostics.printError("looplab: cannot write '\(output)': \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
