import Foundation
import LoopLab
import LoopLang
import Testing

@Suite struct FilePrimitivesTests {
    @Test func writeThenReadRoundTrips() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notes.txt").path
        let code = """
            let r = write_file(\(loopString(path)), "line 1\\nλ ünïcödé\\n")
            print(r)
            print(read_file(\(loopString(path))))
            """
        #expect(try runLoop(code) == "nil\nline 1\nλ ünïcödé\n\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "line 1\nλ ünïcödé\n")
    }

    @Test func writeReplacesExistingContents() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.txt").path
        try "a much longer original text".write(toFile: path, atomically: true, encoding: .utf8)
        _ = try runLoop("write_file(\(loopString(path)), \"short\")")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short")
    }

    @Test func readsAFileWrittenOutside() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("data.json").path
        try #"{"lr": 0.1}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try runLoop("print(read_file(\(loopString(path))).count)") == "11\n")
    }

    @Test func readingAMissingFileIsAnIOError() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("missing.txt").path
        let error = try #require(throws: LoopError.self) { try runLoop("read_file(\(loopString(path)))") }
        #expect(error.kind == "io")
        #expect(error.message == "cannot read '\(path)': No such file or directory")
        #expect(error.problem == .host(kind: "io", message: "cannot read '\(path)': No such file or directory"))
    }

    @Test func readingADirectoryIsAnIOError() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = try #require(throws: LoopError.self) { try runLoop("read_file(\(loopString(dir.path)))") }
        #expect(error.message == "cannot read '\(dir.path)': it is a directory, not a file")
    }

    @Test func writingIntoAMissingDirectoryIsAnIOError() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("no/such/dir/out.txt").path
        let error = try #require(throws: LoopError.self) { try runLoop("write_file(\(loopString(path)), \"x\")") }
        #expect(error.kind == "io")
        #expect(error.message == "cannot write '\(path)': No such file or directory")
    }

    @Test func ioErrorsAreCatchableInLoop() throws {
        let code = """
            let e = try { read_file("/nonexistent/looplab/x.txt") } catch e { e }
            print(e.kind)
            print(e.message)
            """
        #expect(try runLoop(code) == "io\ncannot read '/nonexistent/looplab/x.txt': No such file or directory\n")
    }

    @Test func writeNeedsAString() throws {
        let error = try #require(throws: LoopError.self) { try runLoop(#"write_file("/tmp/looplab-never.txt", 42)"#) }
        #expect(error.kind == "type")
    }
}
