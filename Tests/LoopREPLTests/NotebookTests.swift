import Foundation
import LoopLang
import LoopREPL
import Testing

/// `:save` writes a notebook that runs again as a script and prints what the session printed.
struct NotebookTests {
    @Test func savingKeepsTheChartsBesideTheNotebook() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("charts.loop").path
        let s = runSession(["plot([1, 2, 3], width: 30, height: 3)", "print(\"no chart\")", ":save \(path)"])
        #expect(s.transcript.contains("saved 2 cells"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("#> (plot: charts.plots/cell1-1.svg)\n# %%\nprint(\"no chart\")\n#> no chart\n"))
        let svg = try String(contentsOfFile: dir.appendingPathComponent("charts.plots/cell1-1.svg").path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=") && svg.contains("data-y=\"2.0\""))
    }

    @Test func savedSessionRunsAgainWithTheSameOutput() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("session.loop").path
        let s = runSession([
            "let xs = [3, 1, 2]",
            "print(\"sorted\", xs.sorted())",
            "xs.count",
            "_ * 2",
            "_3 + 1;",
            "nope",
            "fn f(x) {",
            "  x + 1",
            "}",
            "f(_4)",
            "print(\"last: \\(_)\")",
            ":save \(path)",
        ])
        #expect(s.transcript.contains("saved 8 cells to \(path) (left out 1 that raised errors)"))
        #expect(!s.transcript.contains("warning"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            # %%
            let xs = [3, 1, 2]
            # %%
            print("sorted", xs.sorted())
            #> sorted [1, 2, 3]
            # %%
            xs.count
            #> [3] 3
            let _3 = 3  # the REPL's result [3]
            var _ = 3  # the REPL's result [3]
            # %%
            _ * 2
            #> [4] 6
            let _4 = 6  # the REPL's result [4]
            # %%
            _3 + 1;
            # %%
            fn f(x) {
              x + 1
            }
            # %%
            f(_4)
            #> [8] 7
            _ = 7  # the REPL's result [8]
            # %%
            print("last: \\(_)")
            #> last: 7

            """)

        // Run it as `looplab run` would: a script in a fresh interpreter.
        let output = CapturedOutput()
        let interpreter = makeInterpreter(output: output)
        let failure: LoopError? = Interpreter.onLargeStack {
            do throws(LoopError) {
                try interpreter.run(SourceFile(name: "session.loop", text: text, path: path))
                return nil
            } catch {
                return error
            }
        }
        #expect(failure == nil, "\(failure.map(DiagnosticRenderer.render) ?? "")")
        let printedInSession = "sorted [1, 2, 3]\nlast: 7\n"
        #expect(output.text == printedInSession)
    }

    @Test func loadedFilesAreSavedInline() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lib = dir.appendingPathComponent("lib.loop").path
        try "fn sq(x) { x * x }\nprint(\"lib ready\")\n".write(toFile: lib, atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("nb.loop").path
        _ = runSession([":load \(lib)", "sq(9)", ":save \(path)"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "# %%\n# :load \(lib)\nfn sq(x) { x * x }\nprint(\"lib ready\")\n#> lib ready\n# %%\nsq(9)\n#> [1] 81\n")
    }

    @Test func savingWarnsWhenTheNotebookIsNotAValidScript() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("twice.loop").path
        let s = runSession(["let a = 1", "let a = 2", ":save \(path)"])
        #expect(s.transcript.contains("warning: the notebook will not run as a script"))
        #expect(s.transcript.contains("'a' is already declared"))
    }

    @Test func savingToAnUnwritablePathIsAnError() {
        let s = runSession(["1", ":save /nonexistent-dir/x.loop"])
        #expect(s.transcript.contains("error: cannot write '/nonexistent-dir/x.loop'"))
    }

    @Test func literalsRoundTrip() {
        #expect(Notebook.literal(.list([.int(1), .string("a\"b"), .float(0.5), .nil, .bool(true)])) == "[1, \"a\\\"b\", 0.5, nil, true]")
        #expect(Notebook.literal(.record(["lr": .float(0.1), "two words": .duration(90)])) == "{lr: 0.1, \"two words\": 90s}")
        #expect(Notebook.literal(.float(.infinity)) == "inf")
        #expect(Notebook.literal(.float(.nan)) == nil)
    }
}
