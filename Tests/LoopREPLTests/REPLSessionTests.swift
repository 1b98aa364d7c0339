import LoopLang
import LoopREPL
import Testing

/// Cells, prompts, echo, `_` / `_N`, `;`, errors and interrupts, through a scripted editor.
struct REPLSessionTests {
    @Test func numberedPromptsAndEcho() {
        let s = runSession(["1 + 2", "let x = 5", "x * 2"])
        #expect(s.transcript == """
            [1]> 1 + 2
            [1] 3
            [2]> let x = 5
            [3]> x * 2
            [3] 10
            [4]> \n
            """)
        #expect(s.status == 0)
    }

    @Test func stringsAreEchoedQuotedButPrintedRaw() {
        let s = runSession(["\"a\\tb\"", "print(\"hi\")"])
        #expect(s.transcript.contains("[1] \"a\\tb\"\n"))
        #expect(s.transcript.contains("[2]> print(\"hi\")\nhi\n[3]> "))
    }

    @Test func continuationPromptUntilTheCellIsComplete() {
        let s = runSession(["fn f(x) {", "  x * 2", "}", "f(21)"])
        #expect(s.editor.prompts == ["[1]> ", "...> ", "...> ", "[2]> ", "[3]> "])
        #expect(s.transcript.contains("[2] 42\n"))
        #expect(s.editor.history == ["fn f(x) {\n  x * 2\n}", "f(21)"])
    }

    @Test func continuationPromptIsAsWideAsThePrompt() {
        let lines = (1...10).map { "\($0)" } + ["[1,", "2]"]
        let s = runSession(lines)
        #expect(s.editor.prompts.suffix(3) == ["[11]> ", " ...> ", "[12]> "])
    }

    @Test func blankLinesAreSkippedAndTwoEndAnUnfinishedCell() {
        let s = runSession(["", "   ", "[1, 2", "", ""])
        #expect(s.editor.prompts == ["[1]> ", "[1]> ", "[1]> ", "...> ", "...> ", "[2]> "])
        #expect(s.transcript.contains("error: "))
        #expect(s.transcript.contains("cell[1]"))
    }

    @Test func lastResultAndNumberedResults() {
        let s = runSession(["40", "_ + 2", "_1 * 10", "let y = _2", "y"])
        #expect(s.transcript.contains("[2] 42\n"))
        #expect(s.transcript.contains("[3] 400\n"))
        #expect(s.transcript.contains("[5] 42\n"))
    }

    @Test func nilResultsAreNotEchoedNorBound() {
        let s = runSession(["7", "nil", "_"])
        #expect(!s.transcript.contains("[2] nil"))
        #expect(s.transcript.contains("[3] 7\n"))
    }

    @Test func trailingSemicolonHidesTheEchoButKeepsTheResult() {
        let s = runSession(["41 + 1;", "_", "[1, 2];  # quiet", "_3.count"])
        #expect(!s.transcript.contains("[1] 42"))
        #expect(s.transcript.contains("[2] 42\n"))
        #expect(!s.transcript.contains("[3] [1, 2]"))
        #expect(s.transcript.contains("[4] 2\n"))
    }

    @Test func onlyASemicolonInCodeHidesTheEcho() {
        let s = runSession(["3 # a comment;", "\";\"", "[1, 2]; # quiet"])
        #expect(s.transcript.contains("[1] 3\n"))
        #expect(s.transcript.contains("[2] \";\"\n"))
        #expect(!s.transcript.contains("[3] "))
    }

    @Test func errorsPointIntoTheCell() {
        let s = runSession(["1", "let y = nope + 1", "error(\"boom\")", "2"])
        #expect(s.transcript.contains("""
            [2]> let y = nope + 1
            error: undefined variable 'nope'
              --> cell[2]:1:9
               |
             1 | let y = nope + 1
               |         ^^^^
            """))
        #expect(s.transcript.contains("--> cell[3]:1:1"))
        #expect(s.transcript.contains("[4] 2\n"))
    }

    @Test func runtimeErrorsInFunctionsShowTheCallStack() {
        let s = runSession(["fn bad(x) { x + \"a\" }", "bad(1)"])
        #expect(s.transcript.contains("--> cell[1]:1:13"))
        #expect(s.transcript.contains("in bad(), called from cell[2]:1:1"))
    }

    @Test func ctrlCAtThePromptDropsTheUnfinishedCell() {
        let s = runSession([.line("fn g() {"), .interrupt, .line("1")])
        #expect(s.editor.prompts == ["[1]> ", "...> ", "[1]> ", "[2]> "])
        #expect(s.transcript.contains("[1] 1\n"))
        #expect(s.editor.history == ["1"])
    }

    // Ctrl-C while code runs is tested through a real terminal (TerminalTests): the interrupt
    // flag is process-wide, and raising it here would interrupt tests running in parallel.

    @Test func deepRecursionRunsOnTheLargeStack() {
        let s = runSession(["fn r(n) { if n == 0 { 0 } else { 1 + r(n - 1) } }", "r(5000)"])
        #expect(s.transcript.contains("[2] 5000\n"))
    }

    @Test func ctrlDEndsTheSessionWithANewline() {
        let s = runSession([.line("1"), .eof, .line("2")])
        #expect(s.transcript.hasSuffix("[2]> \n"))
        #expect(s.status == 0)
        #expect(s.editor.remainingSteps == 1)
    }
}

