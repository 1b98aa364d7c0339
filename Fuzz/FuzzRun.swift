// libFuzzer target: arbitrary bytes as a `.loop` program that is compiled AND run, with the
// language's core built-ins, under a step budget (every loop iteration and call counts) and a
// memory budget (one value may not need more than 256 MB), so every input ends in bounded time
// and space. A LoopError (including "step budget used up" and "memory") is a fine answer; a crash,
// a trap or a sanitizer report is a bug. Built and run by `scripts/fuzz run`.
import LoopLang
import LoopSupport

/// Output is counted, not kept: a program may print in a loop.
private final class DiscardedOutput: OutputSink {
    var bytes = 0
    func write(_ text: String) { bytes += text.utf8.count }
    func flush() {}
}

nonisolated(unsafe) private var configured = false

@_cdecl("LLVMFuzzerTestOneInput")
public func looplabFuzzRun(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if !configured {
        MemoryBudget.override = 256 << 20
        configured = true
    }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    Interpreter.onLargeStack {
        // A fresh interpreter per input: no state leaks from one run into the next.
        let interpreter = Interpreter(registry: .core(), output: DiscardedOutput())
        StepBudget.run(steps: 200_000) {
            do throws(LoopError) {
                _ = try interpreter.run(SourceFile(name: "fuzz.loop", text: text))
            } catch {
                _ = DiagnosticRenderer.render(error)
            }
        }
    }
    return 0
}
