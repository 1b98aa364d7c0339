// libFuzzer target: arbitrary bytes as `.loop` source through the lexer, parser and compiler
// (`Interpreter.check`), and the REPL's incomplete-input test. A LoopError is the expected answer
// to bad input; any crash, trap or sanitizer report is a bug. Built and run by `scripts/fuzz`.
import LoopLang

nonisolated(unsafe) private let interpreter = Interpreter(registry: .core(), output: CapturedOutput())

@_cdecl("LLVMFuzzerTestOneInput")
public func looplabFuzzCheck(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    Interpreter.onLargeStack {
        _ = Interpreter.isIncomplete(text)
        do throws(LoopError) {
            try interpreter.check(SourceFile(name: "fuzz.loop", text: text))
        } catch {
            _ = DiagnosticRenderer.render(error)
            _ = DiagnosticRenderer.renderShort(error)
        }
    }
    return 0
}
