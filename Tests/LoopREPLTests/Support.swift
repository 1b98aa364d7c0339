import Foundation
import LoopLab
import LoopLang
import LoopREPL

/// The package's root directory.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let stdlibDirectory = repositoryRoot.appendingPathComponent("stdlib").path

/// The project store of every test session: a scratch directory of this test process (saving a
/// skill reads its evidence from the store), never the repository's `.looplab/`.
let sessionStorePath: String = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-repl-store-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("looplab.db").path
}()

/// An interpreter with every host primitive, printing into `output`. `extra` registers test
/// natives on top. Its user skill library is a fresh directory (never the real one).
func makeInterpreter(output: CapturedOutput, userLibrary: String? = nil, extra: (Registry) -> Void = { _ in }) -> Interpreter {
    let library = userLibrary ?? FileManager.default.temporaryDirectory.appendingPathComponent("looplab-repl-skills-\(UUID().uuidString)").path
    let registry = LoopLab.makeRegistry(arguments: [], storePath: sessionStorePath, stdlibDirectory: stdlibDirectory, userLibrary: library)
    extra(registry)
    return Interpreter(registry: registry, output: output, stdlibDirectory: stdlibDirectory)
}

/// A finished REPL session driven by a script of editor steps.
struct Session {
    let transcript: String
    let editor: FakeEditor
    let repl: REPL
    let status: Int32
}

func runSession(_ steps: [FakeEditor.Step], userLibrary: String? = nil, extra: (Registry) -> Void = { _ in }) -> Session {
    let output = CapturedOutput()
    let interpreter = makeInterpreter(output: output, userLibrary: userLibrary, extra: extra)
    let editor = FakeEditor(steps, transcript: output)
    let repl = REPL(interpreter: interpreter, editor: editor)
    let status = repl.run()
    return Session(transcript: output.text, editor: editor, repl: repl, status: status)
}

/// Convenience: every string is one typed line.
func runSession(_ lines: [String], userLibrary: String? = nil, extra: (Registry) -> Void = { _ in }) -> Session {
    runSession(lines.map { FakeEditor.Step.line($0) }, userLibrary: userLibrary, extra: extra)
}

/// A fresh empty directory under the system temp directory.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-repl-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
