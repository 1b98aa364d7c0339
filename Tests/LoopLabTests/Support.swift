import Foundation
import LoopLab
import LoopLang

/// Runs `.loop` code through a fully registered interpreter and returns what it printed.
/// The store every `runLoop` program shares (as they shared the working directory's before): a
/// scratch directory of this test process, so the suite never writes `.looplab/` into the
/// repository.
let runLoopStorePath: String = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-runloop-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("looplab.db").path
}()

func runLoop(_ code: String, arguments: [String] = [], clock: (any WallClock)? = nil) throws(LoopError) -> String {
    let result: Result<String, LoopError> = Interpreter.onLargeStack {
        let output = CapturedOutput()
        let interpreter: Interpreter
        if let clock {
            interpreter = Interpreter(registry: LoopLab.makeRegistry(arguments: arguments, clock: clock, storePath: runLoopStorePath),
                                      output: output, stdlibDirectory: repositoryRoot.appendingPathComponent("stdlib").path)
        } else {
            interpreter = LoopLab.makeInterpreter(arguments: arguments, output: output, stdlibDirectory: repositoryRoot.appendingPathComponent("stdlib").path,
                                                  settings: HostSettings(storePath: runLoopStorePath))
        }
        do throws(LoopError) {
            _ = try interpreter.run(SourceFile(name: "test.loop", text: code))
            return .success(output.text)
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// The package's root directory (tests read `examples/` and `stdlib/` from it).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh empty directory under the system temp directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// `text` as a `.loop` string literal.
func loopString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// A clock that always reads the same time.
struct FixedClock: WallClock {
    var seconds: Double
    func now() -> Double { seconds }
}
