import LoopLang
import Testing

/// The rendered form of errors, exactly as a user sees it (the reference's example and stacks).
@Suite struct DiagnosticsTests {
    static let stdlib = GoldenCase.stdlibDirectory

    /// Runs `source` as a script and returns the rendered error (nil when it succeeds).
    func renderedError(_ source: String, name: String = "tune.loop") -> String? {
        Interpreter.onLargeStack {
            let interpreter = Interpreter(registry: .core(), output: CapturedOutput(), stdlibDirectory: Self.stdlib)
            do throws(LoopError) {
                try interpreter.run(SourceFile(name: name, text: source))
                return nil
            } catch {
                return DiagnosticRenderer.render(error)
            }
        }
    }

    @Test func referenceExampleRendersAsWritten() {
        let source = "fn train(m, lr) { m }\nlet m = 1\n\ntrain(m, lr: lrr)\n"
        #expect(renderedError(source) == """
            error: undefined variable 'lrr'
              --> tune.loop:4:14
               |
             4 | train(m, lr: lrr)
               |              ^^^
               = name error

            """)
    }

    @Test func runtimeErrorsShowTheLoopCallStack() {
        let source = "fn inner(x) { x / 0 }\nfn outer(x) { inner(x) }\nouter(1)\n"
        #expect(renderedError(source, name: "calls.loop") == """
            error: division by zero
              --> calls.loop:1:15
               |
             1 | fn inner(x) { x / 0 }
               |               ^^^^^
               = arithmetic error
               = in inner(), called from calls.loop:2:15
               = in outer(), called from calls.loop:3:1

            """)
    }

    @Test func recursionIsOneLocatedErrorWithCollapsedFrames() throws {
        let rendered = try #require(renderedError("fn f(n) { f(n + 1) }\nf(0)\n", name: "deep.loop"))
        #expect(rendered.hasPrefix("error: stack overflow (recursion nested too deeply)\n  --> deep.loop:1:11\n"))
        #expect(rendered.contains("= in f(), called from deep.loop:1:11 (12 times)"))
        #expect(rendered.contains("more calls"))
    }

    @Test func shortFormForEditors() {
        let error = Interpreter.onLargeStack { () -> LoopError? in
            do throws(LoopError) {
                try Interpreter(registry: .core()).check(SourceFile(name: "x.loop", text: "let a = 1\nprint(b)\n"))
                return nil
            } catch { return error }
        }
        #expect(error.map(DiagnosticRenderer.renderShort) == "x.loop:2:7: error: undefined variable 'b'")
        #expect(error?.isStatic == true)
    }

    @Test func errorsRaisedWhileRunningAreNotStatic() {
        let error = Interpreter.onLargeStack { () -> LoopError? in
            do throws(LoopError) {
                try Interpreter(registry: .core(), output: CapturedOutput()).run(SourceFile(name: "x.loop", text: "print(1)\nerror(\"boom\")\n"))
                return nil
            } catch { return error }
        }
        #expect(error?.isStatic == false)
        #expect(error?.kind == "error")
    }
}

/// The parser's distinction between "needs another line" and "wrong", which drives the REPL's
/// continuation prompt.
@Suite struct IncompleteInputTests {
    @Test(arguments: [
        "fn f(x) {", "print(1,", "let x =", "[1, 2,", "1 +", "if x {\n  1\n", "\"\"\"\nabc", "xs |>",
        "{lr: 0.1,", "try {", "f(a: ",
    ])
    func incomplete(_ source: String) {
        #expect(Interpreter.isIncomplete(source), "\(source) should ask for another line")
    }

    @Test(arguments: ["print(1)", "let x = 1", "fn f(x) { x }", "", "# just a comment", "1 + )", "\"abc", "let = 3", "}"])
    func completeOrWrong(_ source: String) {
        #expect(!Interpreter.isIncomplete(source), "\(source) is complete or an error, not incomplete")
    }
}

/// The session API the REPL is built on.
@Suite struct SessionTests {
    @Test func cellsShareNamesAndMayRedeclare() throws {
        let output = CapturedOutput()
        let values: [String] = Interpreter.onLargeStack {
            let interpreter = Interpreter(registry: .core(), output: output)
            var shown: [String] = []
            for cell in ["let x = 1", "let x = x + 41", "fn twice(v) { v * 2 }", "twice(x)"] {
                do throws(LoopError) {
                    shown.append(Printer.repr(try interpreter.evaluate(SourceFile(name: "cell", text: cell))))
                } catch { shown.append("error: \(error.message)") }
            }
            return shown
        }
        #expect(values == ["nil", "nil", "nil", "84"])
    }

    @Test func aCellThatDoesNotCompileDeclaresNothing() {
        let names: [String] = Interpreter.onLargeStack {
            let interpreter = Interpreter(registry: .core(), output: CapturedOutput())
            _ = try? interpreter.evaluate(SourceFile(name: "c1", text: "let good = 1"))
            _ = try? interpreter.evaluate(SourceFile(name: "c2", text: "let bad = 2\nprint(missing)"))
            return interpreter.sessionNames
        }
        #expect(names == ["good"])
    }

    @Test func helpShowsSignaturesAndDocs() {
        let (builtin, user): (String?, String?) = Interpreter.onLargeStack {
            let interpreter = Interpreter(registry: .core(), output: CapturedOutput(), stdlibDirectory: GoldenCase.stdlibDirectory)
            _ = try? interpreter.evaluate(SourceFile(name: "c", text: "# Doubles its argument.\nfn double(x) { x * 2 }"))
            return (interpreter.help("json"), interpreter.help("double"))
        }
        #expect(builtin?.hasPrefix("json(value, pretty: false)") == true)
        #expect(user == "double(x)\nDoubles its argument.")
    }

    @Test func definedValuesAreVisibleToLaterCells() {
        let result: String = Interpreter.onLargeStack {
            let interpreter = Interpreter(registry: .core(), output: CapturedOutput())
            interpreter.define("_", .int(41))
            return (try? interpreter.evaluate(SourceFile(name: "c", text: "_ + 1"))).map(Printer.repr) ?? "error"
        }
        #expect(result == "42")
    }
}
