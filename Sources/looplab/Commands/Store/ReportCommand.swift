import ArgumentParser
import Foundation
import LoopLab
import LoopREPL
import LoopStore

/// `looplab report STUDY [-o FILE]`: the study's report as one self-contained HTML file;
/// `looplab report nb.loop`: a notebook's cells, outputs and charts as one HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a study's report, or a notebook's, as one self-contained HTML file.",
        discussion: "The file opens in any browser from disk and can be mailed: no network, no CDN. A study's report has its history, importances, parallel coordinates, slices, contour, intermediate values, timeline, distribution, the trial table, guardrails and notes; a notebook's (an existing FILE.loop) its cells, outputs and charts.")

    @ArgumentParser.Argument(help: "The study's name, or a notebook file (FILE.loop).") var study: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write (default: STUDY-report.html here).", valueName: "FILE"))
    var output: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        if study.hasSuffix(".loop"), FileManager.default.fileExists(atPath: study) {
            let text = try String(contentsOfFile: study, encoding: .utf8)
            let path = output ?? String(study.dropLast(5)) + ".html"
            try NotebookExport.html(NotebookFile(text), notebookPath: study).write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path)")
            return
        }
        let db = try store.open()
        _ = try store.study(study, in: db)  // names the studies there when this one is missing
        guard let html = try StudyReport.html(study: study, store: db) else { throw ExitCode(1) }
        let path = output ?? Self.defaultFileName(study)
        do { try html.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            Diagnostics.printError("looplab: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        print("wrote \(path)")
    }

    /// `STUDY-report.html`, with characters a file name should not have replaced.
    static func defaultFileName(_ study: String) -> String {
        String(study.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }) + "-report.html"
    }
}
