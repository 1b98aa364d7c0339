import Foundation
import LoopLang
import Testing

/// Inputs that once crashed the fuzz target (`Fuzz/crashers/`) must now give a result or a
/// LoopError, never a crash. `scripts/fuzz --replay` runs them under the sanitizers too.
@Suite struct FuzzRegressionTests {
    /// Inputs of the kinds that break parsers (deep nesting, runaway interpolation, unterminated
    /// literals, huge numbers, stray bytes): each must come back as a located syntax error.
    @Test(arguments: [
        String(repeating: "(", count: 10_000),
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        "print(" + String(repeating: "-", count: 50_000) + "1)",
        "let x = " + String(repeating: "not ", count: 50_000) + "true",
        String(repeating: "\"\\(", count: 200),
        "\"\"\"\n" + String(repeating: "\\(", count: 100),
        "let n = 99999999999999999999999999999",
        "fn f(" + String(repeating: "a, ", count: 10) + "a) {}",
        "x = \u{0}\u{7}\u{1b}[2J",
        String(repeating: "{", count: 5_000),
        "if " + String(repeating: "a.", count: 20_000) + "b {}",
    ])
    func adversarialInputsAreSyntaxErrors(_ text: String) {
        let error = Interpreter.onLargeStack { () -> LoopError? in
            _ = Interpreter.isIncomplete(text)
            do throws(LoopError) {
                try Interpreter(registry: .core(), output: CapturedOutput()).check(SourceFile(name: "fuzz.loop", text: text))
                return nil
            } catch {
                _ = DiagnosticRenderer.render(error)
                return error
            }
        }
        #expect(error?.isStatic == true, "expected a static error for \(text.prefix(40))...")
        #expect(error?.span != nil || error?.isIncompleteInput == true, "the error should be located")
    }

    @Test func crashersNoLongerCrash() throws {
        let dir = repositoryRoot.appendingPathComponent("Fuzz/crashers")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
        for name in names {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            let text = String(decoding: data, as: UTF8.self)
            Interpreter.onLargeStack {
                _ = Interpreter.isIncomplete(text)
                let interpreter = Interpreter(registry: .core(), output: CapturedOutput())
                do throws(LoopError) {
                    try interpreter.check(SourceFile(name: name, text: text))
                } catch {
                    _ = DiagnosticRenderer.render(error)
                }
            }
        }
    }
}
