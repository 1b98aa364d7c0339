import ArgumentParser
import LoopLab
import LoopLang
import LoopSupport

/// `looplab doc [NAME]`: a primitive's signature, summary and parameters, from the same
/// descriptors that check its calls (what `:help NAME` shows in the REPL).
struct DocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc",
        abstract: "Show a primitive's signature and parameters (every primitive without NAME).",
        discussion: """
            The text comes from the primitives' own parameter descriptors, the ones `looplab check` \
            checks calls against, so it is never out of date.

            Examples:
              looplab doc train
              looplab doc | grep study
            """
    )

    @ArgumentParser.Argument(help: ArgumentHelp("A primitive, function or constant.", valueName: "NAME"))
    var name: String?

    func run() throws {
        let interpreter = LoopLab.makeInterpreter(arguments: [])
        guard let name else {
            let names = interpreter.completionNames.filter { !$0.hasPrefix("_") }.sorted()
            for n in names {
                guard let help = interpreter.help(n) else { continue }
                print(help.prefix { $0 != "\n" })
            }
            return
        }
        guard let help = interpreter.help(name) else {
            let shown = name.count > 60 ? String(name.prefix(40)) + "…" : name
            Diagnostics.printError("looplab doc: '\(shown)' is not defined" + NameSuggestions.clause(for: name, in: interpreter.completionNames))
            throw ExitCode(ExitStatus.usage)
        }
        print(help)
    }
}
