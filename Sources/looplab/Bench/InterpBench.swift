import LoopLab
import LoopLang
import LoopSupport

/// `looplab bench interp`: the interpreter's speed on a call-heavy and a loop-heavy program,
/// against the same programs in CPython and Lua 5.4 when they are installed.
enum InterpBench {
    struct Case {
        var name: String
        var loop: String
        /// What the `.loop` program prints, to make sure the measured run did the work.
        var expected: String
        var python: String
        var lua: String
    }

    static let repetitions = 3

    static let cases: [Case] = [
        Case(
            name: "fib(30)",
            loop: """
                fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
                print(fib(30))
                """,
            expected: "832040\n",
            python: """
                def fib(n):
                    return n if n < 2 else fib(n - 1) + fib(n - 2)
                assert fib(30) == 832040
                """,
            lua: """
                local function fib(n) if n < 2 then return n else return fib(n - 1) + fib(n - 2) end end
                assert(fib(30) == 832040)
                """
        ),
        Case(
            name: "float loop 10M",
            loop: """
                var acc = 0.0
                var i = 0
                while i < 10_000_000 {
                    acc += 0.5
                    i += 1
                }
                print(acc)
                """,
            expected: "5000000.0\n",
            python: """
                def run():
                    acc = 0.0
                    i = 0
                    while i < 10_000_000:
                        acc += 0.5
                        i += 1
                    return acc
                assert run() == 5000000.0
                """,
            lua: """
                local acc = 0.0
                local i = 0
                while i < 10000000 do
                    acc = acc + 0.5
                    i = i + 1
                end
                assert(acc == 5000000.0)
                """
        ),
    ]

    /// Wraps a reference case so the program times itself, best of `repetitions`.
    static func pythonProgram(_ body: String) -> String {
        """
        import time
        def case():
        \(indent(body, by: "    "))
        best = float("inf")
        for _ in range(\(repetitions)):
            t = time.perf_counter()
            case()
            best = min(best, time.perf_counter() - t)
        print(best)
        """
    }

    static func luaProgram(_ body: String) -> String {
        """
        local function case()
        \(indent(body, by: "  "))
        end
        local best = math.huge
        for _ = 1, \(repetitions) do
          local t = os.clock()
          case()
          best = math.min(best, os.clock() - t)
        end
        print(string.format("%.6f", best))
        """
    }

    static func indent(_ text: String, by prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }

    struct WrongResult: Error {
        var caseName: String
        var output: String
    }

    /// Times one `.loop` case: a fresh interpreter per repetition, timed around `run` only.
    static func measureLoop(_ c: Case) throws -> Double {
        var failure: Error?
        let seconds = Interpreter.onLargeStack { () -> Double in
            var best = Double.infinity
            for _ in 0..<repetitions {
                let output = CapturedOutput()
                let interpreter = LoopLab.makeInterpreter(arguments: [], output: output)
                let file = SourceFile(name: "bench-\(c.name).loop", text: c.loop)
                let start = Monotonic.seconds()
                do throws(LoopError) {
                    _ = try interpreter.run(file)
                } catch {
                    failure = WrongResult(caseName: c.name, output: DiagnosticRenderer.render(error))
                    return best
                }
                best = min(best, Monotonic.seconds() - start)
                if output.text != c.expected {
                    failure = WrongResult(caseName: c.name, output: output.text)
                    return best
                }
            }
            return best
        }
        if let failure { throw failure }
        return seconds
    }

    static func report() throws -> BenchReport {
        var report = BenchReport(
            bench: "interp",
            referenceNames: ["python3", "lua5.4"],
            note: "best of \(repetitions); ratio = looplab time / reference time (below 1.00 is faster than the reference)"
        )
        for c in cases {
            var row = BenchRow(caseName: c.name, value: try measureLoop(c), unit: "s")
            let references = [
                ReferenceProgram(name: "python3", executable: "python3", source: pythonProgram(c.python), fileExtension: "py"),
                ReferenceProgram(name: "lua5.4", executable: "lua5.4", source: luaProgram(c.lua), fileExtension: "lua"),
            ]
            for reference in references {
                if let value = reference.run() { row.references[reference.name] = value }
            }
            report.rows.append(row)
        }
        return report
    }
}
