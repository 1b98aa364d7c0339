import Foundation
import Testing

/// The built `looplab` binary, next to this test executable (`.build/<triple>/<config>/`).
let looplabBinary: String? = {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = testBinary.deletingLastPathComponent()
    // Bundled test layouts put the executable inside `*.xctest/`; climb out of it.
    while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
    let candidate = dir.appendingPathComponent("looplab").path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
}()

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The binary as a process not yet started: `directory` is its working directory and
/// `environment` adds variables (the repository's stdlib is always found).
func looplabProcess(_ arguments: [String], directory: URL? = nil, environment extra: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(looplabBinary))
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["LOOPLAB_STDLIB"] = repositoryRoot.appendingPathComponent("stdlib").path
    environment.merge(extra) { _, new in new }
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
    return process
}

/// Runs the binary; `directory` is its working directory and `environment` adds variables.
func runLooplab(_ arguments: [String], stdin: String? = nil, interruptAfter delay: Double? = nil,
                directory: URL? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
    let process = try looplabProcess(arguments, directory: directory, environment: extra)
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let delay {
        usleep(UInt32(delay * 1_000_000))
        process.interrupt()
    }
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)
    )
}

@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct CommandLineTests {
    @Test func evalPrints() throws {
        let r = try runLooplab(["-e", "print(1 + 2)"])
        #expect(r.status == 0)
        #expect(r.stdout == "3\n")
        #expect(r.stderr == "")
    }

    @Test func runPassesArguments() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("args.loop")
        try "print(args)\n".write(to: script, atomically: true, encoding: .utf8)
        let r = try runLooplab(["run", script.path, "0.1", "--lr", "-x"])
        #expect(r.status == 0)
        #expect(r.stdout == #"["0.1", "--lr", "-x"]"# + "\n")
    }

    @Test func runReadsStdinWithDash() throws {
        let r = try runLooplab(["run", "-", "a"], stdin: "print(\"from stdin\", args)\n")
        #expect(r.status == 0)
        #expect(r.stdout == "from stdin [\"a\"]\n")
    }

    @Test func noArgumentsWithPipedStdinRunsTheScript() throws {
        let r = try runLooplab([], stdin: "let x = 20\nprint(x * 2)\n")
        #expect(r.status == 0)
        #expect(r.stdout == "40\n")
    }

    @Test func runtimeErrorExitsOneAfterFlushingOutput() throws {
        let r = try runLooplab(["-e", "print(\"before\")\nerror(\"boom\")"])
        #expect(r.status == 1)
        #expect(r.stdout == "before\n")
        #expect(r.stderr.hasPrefix("error: boom\n"))
        #expect(r.stderr.contains("--> <-e>:2:1"))
    }

    @Test func syntaxErrorExitsTwo() throws {
        let r = try runLooplab(["-e", "let = 3"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: "))
        #expect(r.stdout == "")
    }

    @Test func undefinedVariableExitsTwoWithoutRunning() throws {
        let r = try runLooplab(["-e", "print(\"never\")\nprint(lrr)"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("undefined variable 'lrr'"))
    }

    @Test func missingFileExitsTwo() throws {
        let r = try runLooplab(["run", "/nonexistent/looplab/x.loop"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot read '/nonexistent/looplab/x.loop': No such file or directory"))
    }

    @Test func checkReportsEachFailingFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.loop"), bad = dir.appendingPathComponent("bad.loop")
        try "let x = 1\nprint(x)\n".write(to: good, atomically: true, encoding: .utf8)
        try "let x = 1\nprint(y)\n".write(to: bad, atomically: true, encoding: .utf8)
        let ok = try runLooplab(["check", good.path])
        #expect(ok.status == 0)
        #expect(ok.stdout == "" && ok.stderr == "")
        let r = try runLooplab(["check", good.path, bad.path])
        #expect(r.status == 2)
        #expect(r.stderr == "\(bad.path):2:7: error: undefined variable 'y'\n")
    }

    /// Calls to primitives are checked against their declared parameters before anything runs:
    /// `check` and `run` reject an unknown keyword argument (suggesting the parameter meant), too
    /// many positional arguments and a missing one, at the argument that is wrong.
    @Test func checkRejectsWrongArgumentsToPrimitives() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            ("train(m, d, learning_rate: 0.1)", "3:13: error: train() has no parameter named 'learning_rate'; did you mean 'lr'?"),
            ("train(m, d, epoch: 3)", "3:13: error: train() has no parameter named 'epoch'; did you mean 'epochs'?"),
            ("train(m, d, epochs: 1, epochs: 2)", "3:24: error: train() got more than one value for parameter 'epochs'"),
            ("train(m)", "3:1: error: train() missing argument for parameter 'data'"),
            ("eval(m, d, d)", "3:12: error: eval() takes at most 2 positional arguments but 3 were given"),
        ]
        for (call, expected) in cases {
            let file = dir.appendingPathComponent("call.loop")
            try "let d = dataset(\"blobs\", n: 30)\nprint(\"ran\")\n\(call)\n".write(to: file, atomically: true, encoding: .utf8)
            let c = try runLooplab(["check", file.path])
            #expect(c.status == 2 && c.stderr == "\(file.path):\(expected)\n", "\(call): \(c.stderr)")
            let r = try runLooplab(["run", file.path])
            #expect(r.status == 2 && r.stdout == "", "\(call) ran: \(r.stdout)")
        }
        // Inside a try body the mistake is left to the call, where it can be caught.
        let caught = dir.appendingPathComponent("caught.loop")
        try "let k = try { json(1, foo: true) } catch e { e.kind }\nprint(k)\n".write(to: caught, atomically: true, encoding: .utf8)
        #expect(try runLooplab(["check", caught.path]).status == 0)
        #expect(try runLooplab(["run", caught.path]).stdout == "argument\n")
        // Variadic primitives and those taking any keyword stay open.
        let open = dir.appendingPathComponent("open.loop")
        try "print(1, 2, 3)\nremember(best_lr: 0.1, note_value: 2)\n".write(to: open, atomically: true, encoding: .utf8)
        #expect(try runLooplab(["check", open.path]).status == 0)
    }

    @Test func checkDoesNotRun() throws {
        let r = try runLooplab(["-e", "1"])
        #expect(r.status == 0)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("p.loop")
        try "print(\"ran\")\n".write(to: file, atomically: true, encoding: .utf8)
        let c = try runLooplab(["check", file.path])
        #expect(c.status == 0)
        #expect(c.stdout == "")
    }

    @Test func ctrlCStopsAScriptWithStatus130() throws {
        let r = try runLooplab(["-e", "print(\"start\")\nvar i = 0\nwhile true { i += 1 }"], interruptAfter: 0.5)
        #expect(r.status == 130)
        #expect(r.stdout == "start\n")
        #expect(r.stderr.hasPrefix("error: interrupted"))
    }

    @Test func ctrlCIsCatchableInAScript() throws {
        let r = try runLooplab(["-e", "let k = try { while true { } } catch e { e.kind }\nprint(\"caught\", k)"], interruptAfter: 0.5)
        #expect(r.status == 0)
        #expect(r.stdout == "caught interrupted\n")
    }

    @Test func versionAndHelp() throws {
        let v = try runLooplab(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout.first?.isNumber == true)
        let h = try runLooplab(["--help"])
        #expect(h.status == 0)
        #expect(h.stdout.contains("looplab run examples/tour.loop"))
        #expect(h.stdout.contains("bench"))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let r = try runLooplab(["--no-such-flag"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no-such-flag"))
    }
}
