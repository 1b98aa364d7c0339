import Foundation
import LoopREPL
import Testing

/// The readline editor's history file, without a terminal. Readline's history is process-wide,
/// hence one serialized suite.
@Suite(.serialized)
struct ReadlineEditorTests {
    @Test func multiLineCellsSurviveTheHistoryFileAsOneEntry() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("state/looplab/history").path
        let first = ReadlineEditor(historyPath: path)
        first.addHistory("fn f(x) {\n  x * 2\n}")
        first.addHistory("f(21)")
        first.addHistory("f(21)")  // an immediate repeat is not stored twice
        first.addHistory("   ")
        #expect(FileManager.default.fileExists(atPath: path))
        let second = ReadlineEditor(historyPath: path)
        #expect(second.historyEntries == ["fn f(x) {\n  x * 2\n}", "f(21)"])
    }

    @Test func historyPathFollowsXDG() {
        func path(_ env: [String: String]) -> String? { HistoryFile.defaultPath(environment: { env[$0] }) }
        #expect(path(["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/looplab/history")
        #expect(path(["XDG_STATE_HOME": "rel", "HOME": "/h"]) == "/h/.local/state/looplab/history")
        #expect(path(["HOME": "/h"]) == "/h/.local/state/looplab/history")
        #expect(path([:]) == nil)
    }
}
