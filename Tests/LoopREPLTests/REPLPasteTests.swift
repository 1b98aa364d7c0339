import Foundation
import LoopLang
import LoopREPL
import Testing

/// Issue 11: pasting one long cell used to re-parse the whole cell at every line (5,000 lines
/// took 30 s, 10,000 about four times that). The cell is now parsed once its brackets close.
struct REPLPasteTests {
    @Test func aTenThousandLineCellIsReadInLinearTime() {
        let lines = ["fn big() {"] + (0..<10_000).map { "  let x\($0) = \($0)" } + ["  x9999", "}", "big()"]
        let started = Date()
        let s = runSession(lines)
        let seconds = Date().timeIntervalSince(started)
        #expect(s.transcript.contains("[2] 9999\n"))
        #expect(s.editor.prompts.filter { $0 == "...> " }.count == 10_002)
        // Well under a second unloaded; the old quadratic reading took minutes.
        #expect(seconds < 30, "took \(seconds) s")
    }

    @Test func aTenThousandLineStringIsReadInLinearTime() {
        let lines = ["let s = \"\"\""] + (0..<10_000).map { "line \($0) ( [ {" } + ["\"\"\"", "s.count"]
        let started = Date()
        let s = runSession(lines)
        let seconds = Date().timeIntervalSince(started)
        let characters = lines[1...10_000].map(\.count).reduce(0, +) + 9_999  // the lines and the newlines between them
        #expect(s.transcript.contains("[2] \(characters)\n"), "\(s.transcript.suffix(200))")
        #expect(s.editor.prompts.filter { $0 == "...> " }.count == 10_001)
        #expect(seconds < 30, "took \(seconds) s")
    }

    @Test func openStringsAndBracketsStillContinueAndUnterminatedStringsStillEnd() {
        let s = runSession(["let s = \"\"\"", "a ( [ {", "\"\"\"", "print(s.count)", "print(\"oops", "1 + 1"])
        #expect(s.transcript.contains("[2]> print(s.count)\n7\n"), "\(s.transcript)")
        #expect(s.transcript.contains("unterminated string"), "\(s.transcript)")
        #expect(s.transcript.contains("[4] 2\n"), "\(s.transcript)")
    }
}
