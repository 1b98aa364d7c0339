import LoopLang
import Testing

/// The lexer's tolerant mode, as the REPL sees half-typed text through `SourceScan`.
struct SourceScanTests {
    @Test func identifiersAreCodeNotStringsOrComments() {
        let scan = SourceScan("let a = b + \"c d\" # e f\nprint(\"x \\(g) y\", _3)")
        #expect(scan.identifiers == ["let", "a", "b", "print", "g", "_3"])
    }

    @Test func aTrailingSemicolonIsSeenPastCommentsAndBlankLines() {
        #expect(SourceScan("x;  # quiet\n\n").endsWithSemicolon)
        #expect(!SourceScan("x; y").endsWithSemicolon)
        #expect(!SourceScan("\";\"").endsWithSemicolon)
    }

    @Test func theEndInsideAStringGivesWhereItsContentStarts() {
        let line = "load_csv(\"data/di"
        #expect(SourceScan(line).openStringContentStart == 10)
        #expect(SourceScan(line).isCertainlyIncomplete)
        let multi = "let s = \"\"\"\nabc\n"
        #expect(SourceScan(multi).openStringContentStart == 11)
        #expect(SourceScan(multi + "\"\"\"\n").openStringContentStart == nil)
        // Inside an interpolation the cursor is in code again.
        let inCode = SourceScan("\"a \\(f(")
        #expect(inCode.openStringContentStart == nil && inCode.isCertainlyIncomplete)
        #expect(SourceScan("\"a \\(f(\"pa").openStringContentStart == 8)
    }

    @Test func bracketsCountOnlyInCode() {
        #expect(SourceScan("f(a, [1, {").openBrackets == 3)
        #expect(SourceScan("f(\"(((\")").openBrackets == 0)
        #expect(SourceScan("x = 1 # (((").openBrackets == 0)
        #expect(SourceScan("fn f() {\n  g(1)\n").isCertainlyIncomplete)
        #expect(!SourceScan("fn f() {\n  g(1)\n}\n").isCertainlyIncomplete)
    }

    @Test func aOneLineStringEndsAtItsLineSoTheParserReportsIt() {
        // The bracket is open, but the broken string means the parser must see the cell.
        let scan = SourceScan("print(\"oops\n")
        #expect(!scan.isCertainlyIncomplete)
        #expect(scan.openStringContentStart == nil)
    }

    @Test func garbageNeverStopsTheScan() {
        let texts = ["1__2 + 3xyz + 99999999999999999999 @ $ ~ `", "\"\\q \\", "\"\"\" trailing\nbody\n",
                     String(repeating: "(", count: 500), String(repeating: "\"\\(", count: 40), "\u{FEFF}#!/bin/looplab\nx"]
        for text in texts {
            let scan = SourceScan(text)
            #expect(scan.openBrackets >= 0)
        }
        #expect(SourceScan(String(repeating: "(", count: 500)).openBrackets == 500)
        #expect(SourceScan("1__2 + abc").identifiers == ["abc"])
    }

    /// The REPL feeds a cell a line at a time: every fact must be the same as scanning the
    /// whole text at once, at every line.
    @Test func feedingLineByLineAgreesWithOneScan() {
        let cells = [
            "fn f(x) {\n  let s = \"\"\"\n  a ( [ {\n  \\(x + g(1))\n  \"\"\"\n  s;\n}\n",
            "let t = \"\"\"\nline \\(h(\n  2)) more\n\"\"\"\nprint(t)\n",
            "print(\"a\\(b(\"c\"\n) d\")\n",
            "x = [1,\n2, # ]\n3]\n",
            "print(\"oops\n1 + 1;\n",
            "let q = \"\"\"\n\"\"\"\n",
        ]
        for cell in cells {
            var fed = SourceScan()
            var text = ""
            for line in cell.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                fed.feed(line + "\n")
                text += line + "\n"
                let whole = SourceScan(text)
                #expect(fed.isCertainlyIncomplete == whole.isCertainlyIncomplete, "\(text)")
                #expect(fed.openBrackets == whole.openBrackets, "\(text)")
                #expect(fed.openStringContentStart == whole.openStringContentStart, "\(text)")
                #expect(fed.endsWithSemicolon == whole.endsWithSemicolon, "\(text)")
            }
        }
    }
}
