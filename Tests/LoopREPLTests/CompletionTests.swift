import Foundation
import LoopLang
import LoopREPL
import Testing

/// Tab completion, asked for through the editor as the terminal would.
struct CompletionTests {
    /// Runs `setup` lines, then asks to complete `line`.
    private func complete(_ line: String, after setup: [String] = []) -> Completion {
        let s = runSession(setup.map { .line($0) } + [.complete(line)])
        return s.editor.completions[0]
    }

    @Test func keywords() {
        let c = complete("whi")
        #expect(c.candidates == ["while"])
        #expect(c.start == 0)
        #expect(c.appendSpace)
        #expect(complete("x = tr").candidates.contains("try"))
        #expect(complete("x = tr").candidates.contains("true"))
    }

    @Test func namesInScopeAndBuiltIns() {
        let c = complete("print(learn", after: ["let learning_rate = 0.1", "fn learner() { 1 }"])
        #expect(c.candidates == ["learner", "learning_rate"])
        #expect(c.start == 6)
        #expect(!c.appendSpace)
        #expect(complete("pri").candidates.contains("print"))
        #expect(complete("sq").candidates == ["sqrt"])
        #expect(complete("1 + 2").candidates.isEmpty)
    }

    @Test func keywordArgumentsOfTheFunctionBeingCalled() {
        let c = complete("train(m, d, ep")
        #expect(c.candidates == ["epochs:"])
        #expect(c.start == 12 && c.appendSpace)
        let given = complete("train(m, d, epochs: 3, e")
        #expect(given.candidates.contains("eval_every:") && !given.candidates.contains("epochs:"))
        #expect(complete("f(1, be", after: ["fn f(alpha, beta) { alpha }"]).candidates == ["beta:"])
        // Not where an argument starts, or inside a list: names only.
        #expect(!complete("train(m, [ep").candidates.contains("epochs:"))
        #expect(!complete("train(m, d + ep").candidates.contains("epochs:"))
        #expect(complete("train(m, \"(\", ep").candidates == ["epochs:"])
    }

    @Test func membersOfADefinedName() {
        let c = complete("xs.app", after: ["var xs = [1, 2]"])
        #expect(c.candidates == ["append"])
        #expect(c.start == 3)
        let r = complete("cfg.", after: ["let cfg = {lr: 0.1, hidden: 64}"])
        #expect(r.candidates.contains("lr"))
        #expect(r.candidates.contains("hidden"))
        #expect(r.candidates.contains("keys"))
        #expect(complete("name.up", after: ["let name = \"ada\""]).candidates == ["upper"])
    }

    @Test func membersNeverRunCode() {
        let calls = Counter()
        let s = runSession([.complete("side_effect()."), .complete("xs.first."), .complete("undefined_name."), .complete("1.")]) { registry in
            registry.function("side_effect", doc: "Counts its calls.") { _ in
                calls.value += 1
                return .list([])
            }
        }
        #expect(calls.value == 0)
        for c in s.editor.completions { #expect(c.candidates.isEmpty) }
    }

    @Test func metaCommands() {
        let c = complete(":sa")
        #expect(c.candidates == [":save"])
        #expect(c.start == 0)
        #expect(c.appendSpace)
        #expect(complete(":").candidates.count == MetaCommand.allCases.count)
        #expect(complete(":help pri").candidates.contains("print"))
        #expect(complete(":help :ti").candidates == [":time"])
        #expect(complete(":time sq").candidates == ["sqrt"])
        #expect(complete(":time sq").start == 6)
    }

    @Test func pathsInsideStringLiterals() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("data.csv").path, contents: Data())
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(".hidden").path, contents: Data())
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data_dir"), withIntermediateDirectories: true)
        let base = dir.path
        let line = "let t = read_file(\"\(base)/da"
        let c = complete(line)
        #expect(c.candidates == ["\(base)/data.csv", "\(base)/data_dir/"])
        #expect(c.start == "let t = read_file(\"".utf8.count)
        #expect(!c.appendSpace)
        #expect(complete("read_file(\"\(base)/").candidates == ["\(base)/data.csv", "\(base)/data_dir/"])
        #expect(complete("read_file(\"\(base)/.h").candidates == ["\(base)/.hidden"])
        // A closed string is code again; interpolation inside a string is code too.
        #expect(!complete("\"\(base)\" + da").candidates.contains { $0.hasPrefix(base) })
        #expect(complete("\"x \\(pri").candidates.contains("print"))
        // :load and :save complete paths without quotes.
        #expect(complete(":load \(base)/data.").candidates == ["\(base)/data.csv"])
        #expect(complete(":save \"\(base)/data_").candidates == ["\(base)/data_dir/"])
    }

    @Test func stringsOpenedOnAnEarlierLineOfTheCell() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("notes.txt").path, contents: Data())
        let s = runSession([.line("let s = \"\"\""), .complete("\(dir.path)/no")])
        #expect(s.editor.completions[0].candidates == ["\(dir.path)/notes.txt"])
    }

    @Test func readlineWordsAreReconciledWithCompletionStarts() {
        let line = Array("xs.app".utf8)
        let c = Completion(start: 3, candidates: ["append"])
        #expect(ReadlineEditor.rebase(c, onto: 3, line: line) == ["append"])
        #expect(ReadlineEditor.rebase(c, onto: 0, line: line) == ["xs.append"])
        let path = Completion(start: 0, candidates: ["dir/file.csv"])
        #expect(ReadlineEditor.rebase(path, onto: 4, line: Array("dir/fi".utf8)) == ["file.csv"])
    }
}

final class Counter: @unchecked Sendable {
    var value = 0
}
