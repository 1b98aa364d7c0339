import ArgumentParser
import Foundation
import LoopLab
import LoopStore

/// `looplab report STUDY [-o FILE]`: the study's report as one self-contained HTML file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a study's report: one self-contained HTML file (charts, importances, the trial table, notes).",
        discussion: "The file opens in any browser from disk and can be mailed: no network, no CDN.")

    @ArgumentParser.Argument(help: "The study's name.") var study: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write (default: STUDY-report.html here).", valueName: "FILE"))
    var output: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
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
