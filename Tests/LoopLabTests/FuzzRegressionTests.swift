import Foundation
import LoopLang
import Testing

/// Inputs that once crashed the fuzz target (`Fuzz/crashers/`) must now give a result or a
/// LoopError, never a crash. `scripts/fuzz --replay` runs them under the sanitizers too.
@Suite struct FuzzRegressionTests {
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
