import Foundation
import LoopLang
import LoopREPL
import Testing

/// The `:` commands.
struct MetaCommandTests {
    @Test func helpListsCommandsAndEveryBuiltInWithItsDoc() {
        let s = runSession([":help"])
        for command in MetaCommand.allCases { #expect(s.transcript.contains(command.usage)) }
        let interpreter = s.repl.interpreter
        for name in interpreter.builtinNames { #expect(s.transcript.contains("  \(name)")) }
        let printDoc = interpreter.registry.doc(for: "print") ?? "?"
        #expect(s.transcript.contains(String(printDoc.prefix { $0 != "\n" })))
        #expect(s.editor.prompts == ["[1]> ", "[1]> "])  // commands do not use up a number
    }

    @Test func helpForANameShowsSignatureAndDoc() {
        let s = runSession([":help print", ":help :save", ":help if", ":help prnt", "fn mine(a, b = 2) { a }", ":help mine"])
        #expect(s.transcript.contains("print("))
        #expect(s.transcript.contains(":save FILE\nwrite this session"))
        #expect(s.transcript.contains("'if' is a keyword"))
        #expect(s.transcript.contains("no help for 'prnt': it is not defined; did you mean 'print'"))
        #expect(s.transcript.contains("mine(a, b)"))
    }

    /// A primitive's help is its descriptors: the signature, the summary, a line per parameter.
    @Test func helpForAPrimitiveListsItsParameters() {
        let s = runSession([":help train"])
        let train = s.repl.interpreter.help("train") ?? ""
        #expect(s.transcript.contains(train))
        let lines = train.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("train(model, data, val: nil, epochs: nil,"))
        #expect(lines.contains { $0.hasPrefix("  epochs ") && $0.contains("passes over the data") })
        #expect(lines.contains { $0.hasPrefix("  lr ") && $0.contains("learning rate") })
        #expect(lines.filter { $0.hasPrefix("  ") }.count == 19)
    }

    @Test func unknownCommandsSuggestCloseOnes() {
        let s = runSession([":hepl", ":zzz", ":h", ":hist", "1"])
        #expect(s.transcript.contains("error: unknown command ':hepl'; did you mean :help?"))
        #expect(s.transcript.contains("error: unknown command ':zzz'\n  (:help lists the commands)"))
        #expect(s.transcript.contains("Commands:"))  // :h is :help
        #expect(s.transcript.contains("(no cells yet)"))  // :hist is :history
        #expect(s.transcript.contains("[1] 1\n"))
    }

    @Test func unambiguousPrefixesNameTheirCommand() {
        let s = runSession([":sa", ":s"])
        #expect(s.transcript.contains("usage: :save FILE"))
        #expect(s.transcript.contains("error: ':s' could mean :save or :skills or :skill"))
        let t = runSession([":r"])  // :reset is the only r-command
        #expect(t.transcript.contains("session reset"))
    }

    @Test func varsListsUserNamesWithTypesAndValues() {
        let s = runSession(["let lr = 0.1", "var names = [\"a\", \"b\"]", "fn f() { 1 }", "1", ":vars"])
        #expect(s.transcript.contains("  lr     Float     0.1\n"))
        #expect(s.transcript.contains("  names  List      [\"a\", \"b\"]\n"))
        #expect(s.transcript.contains("  f      Function  <fn f>\n"))
        #expect(!s.transcript.contains("  _"))
    }

    @Test func varsShortensLongValues() {
        let s = runSession(["var big = []", "for i in 0..<100 { big.append(i) }", ":vars"])
        #expect(s.transcript.contains("…"))
    }

    @Test func resetForgetsNamesAndRestartsNumbering() {
        let s = runSession(["let a = 1", "2", ":reset", "a"])
        #expect(s.transcript.contains("session reset"))
        #expect(s.transcript.contains("undefined variable 'a'"))
        #expect(s.transcript.contains("--> cell[1]:1:1"))
        #expect(s.editor.prompts.last == "[2]> ")
    }

    @Test func historyListsTheSessionsCells() {
        let s = runSession(["fn f(x) {", "x + 1", "}", "f(1)", ":history"])
        #expect(s.transcript.contains("[1] fn f(x) {\n    x + 1\n    }\n[2] f(1)\n"))
        #expect(s.editor.history == ["fn f(x) {\nx + 1\n}", "f(1)", ":history"])
    }

    @Test func timeEvaluatesAndReportsTheElapsedTime() {
        let s = runSession([":time 6 * 7", ":time", "_1"])
        #expect(s.transcript.contains("[1] 42\ntime: "))
        #expect(s.transcript.contains("usage: :time EXPR"))
        #expect(s.transcript.contains("[2] 42\n"))
        #expect(REPL.formatElapsed(0.000_850) == "850µs")
        #expect(REPL.formatElapsed(0.0123) == "12.3ms")
        #expect(REPL.formatElapsed(1.4237) == "1.42s")
    }

    @Test func quitStopsReadingInput() {
        let s = runSession(["1", ":quit", "2"])
        #expect(s.status == 0)
        #expect(s.editor.remainingSteps == 1)
        #expect(!s.transcript.contains("[2] 2"))
    }

    @Test func loadRunsAFileIntoTheSession() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("setup.loop").path
        try "let loaded = 7\nfn triple(x) { x * 3 }\nprint(\"loaded!\")\n".write(toFile: path, atomically: true, encoding: .utf8)
        let bad = dir.appendingPathComponent("bad.loop").path
        try "let ok = 1\nnope\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let s = runSession([":load \(path)", "triple(loaded) * 2", ":load \"\(bad)\"", ":load /nonexistent/x.loop", ":load"])
        #expect(s.transcript.contains(":load \(path)\nloaded!\n[1]> "))
        #expect(s.transcript.contains("[1] 42\n"))
        #expect(s.transcript.contains("--> \(bad):2:1"))
        #expect(s.transcript.contains("error: cannot read '/nonexistent/x.loop': No such file or directory"))
        #expect(s.transcript.contains("usage: :load FILE"))
    }
}

/// `:skills` and `:skill save`, and completion of skill names after `use "`.
struct SkillCommandTests {
    static func hasLine(_ text: String, _ parts: String...) -> Bool {
        text.split(separator: "\n").contains { line in parts.allSatisfy { line.contains($0) } }
    }

    @Test func aSkillSavedAtTheREPLIsListedFoundAndLoadableInTheNextSession() throws {
        let library = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: library) }
        let first = runSession([
            "skill warmup(lr, steps = 100) \"Linear learning-rate warm-up.\" { lr * min(1, steps / 100) }",
            ":skill save warmup", ":skill save warmup", ":skill save nothing", ":skill", ":skills warm-up",
        ], userLibrary: library.path)
        #expect(first.transcript.contains("saved warmup 1.0.0 to \(library.path)/warmup/1.0.0.loop"))
        #expect(first.transcript.contains("warmup 1.0.0 is unchanged; nothing saved"))
        #expect(first.transcript.contains("no skill named 'nothing' in this session"))
        #expect(first.transcript.contains("error: usage: :skill save NAME"))
        #expect(Self.hasLine(first.transcript, "warmup 1.0.0", "user", "Linear learning-rate warm-up."))
        let second = runSession([":skills", "use \"warmup\"", "warmup(0.1, steps: 50)"], userLibrary: library.path)
        #expect(Self.hasLine(second.transcript, "warmup 1.0.0", "user", "Linear learning-rate warm-up."))
        #expect(Self.hasLine(second.transcript, "sweep 1.0.0", "stdlib"))
        #expect(second.transcript.contains("[2] 0.05\n"))
        let c = runSession([.complete("use \"warm")], userLibrary: library.path).editor.completions[0]
        #expect(c.candidates.contains("warmup"))
        #expect(runSession([.complete("use \"swe")]).editor.completions[0].candidates.contains("sweep"))
    }
}
