import Glibc
import LoopLab
import LoopLang
import LoopSupport

/// The `:` meta-commands.
extension REPL {
    func runCommand(_ text: String) {
        let body = text.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let argument = String(body.dropFirst(name.count)).trimmingWhitespace()
        switch MetaCommand.resolve(name) {
        case .found(let command):
            run(command, argument: argument)
        case .ambiguous(let matches):
            say("error: ':\(name)' could mean " + matches.map { ":" + $0.rawValue }.joined(separator: " or "))
        case .unknown(let suggestions):
            var message = "error: unknown command ':\(name)'"
            if !suggestions.isEmpty {
                message += "; did you mean " + suggestions.map { ":" + $0.rawValue }.joined(separator: " or ") + "?"
            }
            say(message + "\n  (:help lists the commands)")
        }
    }

    private func run(_ command: MetaCommand, argument: String) {
        switch command {
        case .help: argument.isEmpty ? showHelpIndex() : showHelp(argument)
        case .load: load(argument)
        case .save: save(argument)
        case .history: showHistory()
        case .time: time(argument)
        case .vars: showVariables()
        case .skills: showSkills(matching: argument)
        case .skill: skillCommand(argument)
        case .reset: reset()
        case .quit: quitRequested = true
        }
    }

    private func requireArgument(_ argument: String, for command: MetaCommand) -> String? {
        let path = Self.unquote(argument)
        if path.isEmpty { say("error: missing argument; usage: \(command.usage)") }
        return path.isEmpty ? nil : Self.expandHome(path)
    }

    // MARK: help

    private func showHelpIndex() {
        var text = "Commands:\n"
        let commandWidth = MetaCommand.allCases.map(\.usage.count).max() ?? 0
        for command in MetaCommand.allCases {
            text += "  " + command.usage.padded(to: commandWidth) + "  " + command.summary + "\n"
        }
        let names = interpreter.builtinNames
        let width = min(16, names.map(\.count).max() ?? 0)
        text += "\nBuilt-ins (:help NAME for the signature and full doc):\n"
        for name in names {
            text += "  " + name.padded(to: width) + "  " + firstLine(of: docText(for: name)) + "\n"
        }
        text += "\nTab completes names, members after '.', commands and paths in strings.\n"
        text += "Ctrl-C interrupts running code (state is kept); Ctrl-D or :quit leaves.\n"
        say(text)
    }

    private func docText(for name: String) -> String {
        if let doc = interpreter.registry.doc(for: name) { return doc }
        if case .function(let f)? = interpreter.lookup(name), let doc = f.doc { return doc }
        return ""
    }

    private func firstLine(of text: String) -> String {
        String(text.prefix { $0 != "\n" })
    }

    private func showHelp(_ rawName: String) {
        let name = rawName.trimmingWhitespace()
        if name.hasPrefix(":") {
            if case .found(let command) = MetaCommand.resolve(String(name.dropFirst())) {
                say(command.usage + "\n" + command.summary)
            } else {
                say("error: unknown command '\(name)'")
            }
            return
        }
        if let help = interpreter.help(name) {
            say(help)
        } else if Keyword(rawValue: name) != nil {
            say("'\(name)' is a keyword of the language; see docs/language.md")
        } else if case .found(let command) = MetaCommand.resolve(name), command.rawValue == name {
            say(command.usage + "\n" + command.summary)
        } else {
            say("no help for '\(name)': it is not defined" + NameSuggestions.clause(for: name, in: interpreter.completionNames))
        }
    }

    // MARK: files

    private func load(_ argument: String) {
        guard let path = requireArgument(argument, for: .load) else { return }
        let text: String
        do throws(POSIXFiles.Failure) {
            text = try POSIXFiles.readText(path)
        } catch {
            say("error: cannot read '\(path)': \(error.reason)")
            return
        }
        var cell = SessionCell(number: nil, source: text, loadedFrom: path)
        out.startRecording()
        let outcome = evaluate(SourceFile(name: path, text: text, path: POSIXFiles.absolute(path)))
        cell.output = out.stopRecording()
        if case .failure(let error) = outcome {
            cell.failed = true
            report(error)
        }
        cells.append(cell)
    }

    private func save(_ argument: String) {
        guard let path = requireArgument(argument, for: .save) else { return }
        let notebook = Notebook(cells: cellsKeepingPlots(for: path))
        do throws(POSIXFiles.Failure) {
            try POSIXFiles.writeText(path, notebook.text)
        } catch {
            say("error: cannot write '\(path)': \(error.reason)")
            return
        }
        var message = "saved \(notebook.cellCount) cell\(notebook.cellCount == 1 ? "" : "s") to \(path)"
        if notebook.omittedFailures > 0 {
            message += " (left out \(notebook.omittedFailures) that raised errors)"
        }
        say(message)
        // The session allows what a script does not (redeclaring a name); say so now rather than
        // when the notebook is next run.
        do throws(LoopError) {
            try interpreter.check(SourceFile(name: path, text: notebook.text, path: POSIXFiles.absolute(path)))
        } catch {
            say("warning: the notebook will not run as a script as it stands:\n" + DiagnosticRenderer.render(error))
        }
    }

    // MARK: skills

    private func showSkills(matching query: String) {
        let rows: [Value]
        do throws(LoopError) {
            rows = try callSkillPrimitive(query.isEmpty ? "skills" : "find_skills", query.isEmpty ? [] : [.string(query)])
        } catch {
            report(error)
            return
        }
        guard !rows.isEmpty else {
            say(query.isEmpty ? "(no skills yet: define one with `skill name(...) \"doc\" { ... }` and :skill save name)"
                              : "(no skill matches '\(query)')")
            return
        }
        let table = rows.compactMap { row -> (String, String, String)? in
            guard case .record(let r) = row, case .string(let name)? = r.fields["name"], case .string(let version)? = r.fields["version"],
                  case .string(let library)? = r.fields["library"] else { return nil }
            var doc = ""
            if case .string(let d)? = r.fields["doc"] { doc = firstLine(of: d) }
            var place = library
            if case .string(let pack)? = r.fields["pack"] { place += " " + pack }
            return (name + " " + version, place, Self.shorten(doc, to: 60))
        }
        let w0 = table.map(\.0.count).max() ?? 0, w1 = table.map(\.1.count).max() ?? 0
        say(table.map { "  " + $0.0.padded(to: w0) + "  " + $0.1.padded(to: w1) + "  " + $0.2 }.joined(separator: "\n"))
    }

    private func skillCommand(_ argument: String) {
        let words = argument.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count == 2, words[0] == "save" else {
            say("error: usage: \(MetaCommand.skill.usage)")
            return
        }
        do throws(LoopError) {
            guard case .record(let r) = try callSkillPrimitive("save_skill", [.string(words[1])]).first,
                  case .string(let version)? = r.fields["version"], case .string(let status)? = r.fields["status"],
                  case .string(let path)? = r.fields["path"] else { return }
            say(status == "created" ? "saved \(words[1]) \(version) to \(path)" : "\(words[1]) \(version) is unchanged; nothing saved")
        } catch {
            report(error)
        }
    }

    /// Calls a skill-library primitive by name; a list result is returned as is, anything else
    /// as a one-element list.
    private func callSkillPrimitive(_ name: String, _ arguments: [Value]) throws(LoopError) -> [Value] {
        guard let function = interpreter.lookup(name) else {
            throw LoopError(.host(kind: "skill", message: "the skill library is not available in this session"))
        }
        let result = try interpreter.call(function, arguments)
        if case .list(let items) = result { return Array(items) }
        return [result]
    }

    // MARK: session

    private func showHistory() {
        let numbered = cells.filter { $0.number != nil || $0.loadedFrom != nil }
        guard !numbered.isEmpty else {
            say("(no cells yet)")
            return
        }
        var text = ""
        for cell in numbered {
            let label = cell.number.map { "[\($0)]" } ?? ":load"
            if let loaded = cell.loadedFrom {
                text += "\(label) \(loaded)\n"
                continue
            }
            let indent = String(repeating: " ", count: label.count + 1)
            let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() {
                text += (i == 0 ? label + " " : indent) + line + "\n"
            }
        }
        say(text)
    }

    private func time(_ argument: String) {
        guard !argument.isEmpty else {
            say("error: missing argument; usage: \(MetaCommand.time.usage)")
            return
        }
        let start = Monotonic.seconds()
        runCell(argument)
        let elapsed = Monotonic.seconds() - start
        say("time: " + Self.formatElapsed(elapsed))
    }

    private func showVariables() {
        let names = interpreter.sessionNames.filter { !Self.isResultName($0) }
        guard !names.isEmpty else {
            say("(no variables yet)")
            return
        }
        let rows = names.compactMap { name -> (String, String, String)? in
            guard let value = interpreter.lookup(name) else { return nil }
            return (name, value.typeName, Self.shorten(Printer.repr(value), to: 60))
        }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let typeWidth = rows.map(\.1.count).max() ?? 0
        say(rows.map { "  " + $0.0.padded(to: nameWidth) + "  " + $0.1.padded(to: typeWidth) + "  " + $0.2 }.joined(separator: "\n"))
    }

    private func reset() {
        interpreter.resetSession()
        cells = []
        nextCellNumber = 1
        say("session reset: every name is forgotten")
    }

    // MARK: helpers

    /// `_` and `_3`: bound by the REPL, not by the user.
    static func isResultName(_ name: String) -> Bool {
        guard name.hasPrefix("_") else { return false }
        return name.dropFirst().allSatisfy(\.isNumber)
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, (s.hasPrefix("\"") && s.hasSuffix("\"")) || (s.hasPrefix("'") && s.hasSuffix("'")) {
            return String(s.dropFirst().dropLast())
        }
        return s
    }

    static func expandHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = getenvString("HOME") else { return path }
        return home + path.dropFirst()
    }

    static func shorten(_ s: String, to limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
    }

    /// `850µs`, `12.3ms`, `1.42s`: three significant digits are plenty for a REPL timing.
    public static func formatElapsed(_ seconds: Double) -> String {
        func three(_ x: Double) -> String {
            let digits = x >= 100 ? 0 : x >= 10 ? 1 : 2
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let rounded = (x * scale).rounded() / scale
            return digits == 0 ? String(Int(rounded)) : String(rounded)
        }
        if seconds < 1e-3 { return three(seconds * 1e6) + "µs" }
        if seconds < 1 { return three(seconds * 1e3) + "ms" }
        return three(seconds) + "s"
    }
}

extension String {
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

func getenvString(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

extension REPL {
    /// The session's cells with their charts written beside the notebook (`NB.plots/cellN-K.svg`)
    /// and named in their output, as `looplab run --write-back` keeps them.
    private func cellsKeepingPlots(for path: String) -> [SessionCell] {
        let directory = NotebookRunner.plotsDirectory(for: path)
        return cells.map { cell in
            guard let number = cell.number, !cell.plots.isEmpty, !cell.failed else { return cell }
            var kept = cell
            for (k, svg) in cell.plots.enumerated() {
                let file = directory + "/cell\(number)-\(k + 1).svg"
                guard (try? POSIXFiles.makeDirectory(directory)) != nil, (try? POSIXFiles.writeText(file, svg)) != nil else { continue }
                if !kept.output.isEmpty, !kept.output.hasSuffix("\n") { kept.output += "\n" }
                kept.output += "(plot: \(NotebookRunner.relative(file, to: path)))\n"
            }
            return kept
        }
    }
}
