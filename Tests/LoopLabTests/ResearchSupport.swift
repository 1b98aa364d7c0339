import Foundation
import LoopLab
import LoopLang

/// A scratch project store for one test: its database path, removed with `remove()`.
struct ScratchStore {
    let directory: URL
    var path: String { directory.appendingPathComponent("looplab.db").path }

    init() throws { directory = try makeTemporaryDirectory() }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// A file path inside the scratch directory, as a `.loop` string literal.
    func file(_ name: String) -> String { loopString(directory.appendingPathComponent(name).path) }

    /// Runs `.loop` code in a fresh interpreter against this store (a fresh interpreter is what
    /// re-running a script gives), returning what it printed. `name` and `file` say where the
    /// code came from (for `use` and for error messages).
    func run(_ code: String, clock: any WallClock = SystemClock(), name: String = "test.loop", file: String? = nil) throws(LoopError) -> String {
        let path = self.path
        let stdlib = repositoryRoot.appendingPathComponent("stdlib").path
        let result: Result<String, LoopError> = Interpreter.onLargeStack {
            let output = CapturedOutput()
            let interpreter = Interpreter(registry: LoopLab.makeRegistry(arguments: [], clock: clock, storePath: path, stdlibDirectory: stdlib),
                                          output: output, stdlibDirectory: stdlib)
            defer { LoopLab.finish(interpreter) }
            do throws(LoopError) {
                _ = try interpreter.run(SourceFile(name: name, text: code, path: file))
                return .success(output.text)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The error `code` raises, rendered, or nil when it runs.
    func error(_ code: String) -> LoopError? {
        do throws(LoopError) { _ = try run(code); return nil } catch { return error }
    }
}

/// A clock that moves forward by `step` seconds each time it is read.
final class SteppingClock: WallClock, @unchecked Sendable {
    private var seconds = 1_000_000.0
    let step: Double
    init(step: Double) { self.step = step }
    func now() -> Double {
        seconds += step
        return seconds
    }
}

/// The loop with a cheap objective: a quadratic of the parameters, best near lr = 0.01,
/// hidden = 64, layers = 2.
let syntheticObjective = """
fn objective(t) {
  let l = log10(t.lr) + 2
  let h = log(float(t.hidden) / 64.0)
  0.95 - 0.05 * l * l - 0.02 * h * h - 0.01 * abs(t.layers - 2)
}
let s = space {lr: loguniform(1e-4, 1e-1), hidden: choice(32, 64, 128), layers: integers(1, 4),
               dropout: uniform(0.0, 0.5) when layers > 1}
"""
