import Foundation
import Testing

/// `kill -9` in the middle of a study, then a rerun: completed trials stay, the killed trial is
/// `stale` and its configuration is proposed again first. Runs the real `looplab` binary, so the
/// killed process is a real, independent owner of its trial.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct StudyResumeTests {
    static let script = """
    let st = study("crash", space: space {x: uniform(0.0, 1.0)}, strategy: "random", max_trials: 6)
    for t in st {
      if t.number == 3 and env("HANG") != nil { while true {} }
      remember(t, {loss: t.x})
    }
    let h = history(st)
    print(h.map(fn(r) { r.status }))
    print(h[4].params == h[3].params, h[3].error != nil)
    """

    func looplab(_ arguments: [String], store: String, hang: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(looplabBinary))
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LOOPLAB_STDLIB"] = repositoryRoot.appendingPathComponent("stdlib").path
        environment["LOOPLAB_STORE"] = store
        environment["HANG"] = hang ? "1" : nil
        process.environment = environment
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        return process
    }

    func output(_ process: Process) -> String {
        let data = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func killedStudyResumes() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let scriptURL = store.directory.appendingPathComponent("crash.loop")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)

        let doomed = try looplab(["run", scriptURL.path], store: store.path, hang: true)
        try doomed.run()
        // Wait until trial 3 is running (the script spins there), then kill -9.
        var running = false
        for _ in 0..<200 where !running {
            usleep(50_000)
            let trials = try looplab(["trials", "crash"], store: store.path)
            try trials.run()
            running = output(trials).split(separator: "\n").contains { $0.hasPrefix("3 ") && $0.contains(" running") }
        }
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        #expect(running)

        let rerun = try looplab(["run", scriptURL.path], store: store.path)
        try rerun.run()
        let printed = output(rerun)
        #expect(rerun.terminationStatus == 0)
        #expect(printed == """
        ["complete", "complete", "complete", "stale", "complete", "complete", "complete"]
        true true

        """)
        let best = try looplab(["best", "crash"], store: store.path)
        try best.run()
        #expect(output(best).hasPrefix("crash: trial "))
    }
}

/// `looplab studies`, `trials`, `best`, `recall` and `export` over a store a script filled.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct StoreCommandTests {
    @Test func commandsReadTheStore() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        _ = try store.run("""
        let st = study("cli", space: space {k: integers(1, 3)}, goal: maximize("acc"), strategy: "grid")
        for t in st { if t.k == 2 { fail(t, "out of memory") } else { remember(t, {acc: float(t.k)}) } }
        remember("k = 2 ran out of memory", tags: ["oom"])
        """)
        let studies = try runLooplab(["studies", "--store", store.path])
        #expect(studies.status == 0)
        #expect(studies.stdout.contains("cli    maximize acc  grid"))
        #expect(studies.stdout.contains("exhausted"))
        let trials = try runLooplab(["trials", "cli", "--store", store.path])
        #expect(trials.stdout.contains("failed    -    k=2 | out of memory"))
        let best = try runLooplab(["best", "cli", "--store", store.path])
        #expect(best.stdout.hasPrefix("cli: trial ") && best.stdout.contains(", maximize acc = 3\nparams:  k=3\n"))
        let recall = try runLooplab(["recall", "memory", "--store", store.path])
        #expect(recall.stdout.contains("note") && recall.stdout.contains("[memory]"))
        let csv = try runLooplab(["export", "cli", "--format", "csv", "--store", store.path])
        #expect(csv.stdout.hasPrefix("trial,status,acc,param_k,metric_acc,error\n"))
        #expect(csv.stdout.contains(",complete,1,1,1,\n") && csv.stdout.contains(",failed,,2,,out of memory\n"))
        let missing = try runLooplab(["best", "nope", "--store", store.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no study named 'nope' in \(store.path)") && missing.stderr.contains("studies: cli"))
        let badFormat = try runLooplab(["export", "cli", "--format", "xml", "--store", store.path])
        #expect(badFormat.status == 2)
        // `looplab run --store PATH` points a script at the same store.
        let script = store.directory.appendingPathComponent("count.loop")
        try #"print(history("cli").count)"#.write(to: script, atomically: true, encoding: .utf8)
        let run = try runLooplab(["run", "--store", store.path, script.path])
        #expect(run.stdout == "3\n")
    }

    /// Each study numbers its trials 0, 1, 2, ... (what messages and the CLI say); `t.id` is the
    /// store-wide key, so a second study in the same store has numbers that are not its ids.
    @Test func trialNumbersArePerStudyAndIdsStoreWide() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run("""
        let a = study("first", space: space {k: integers(1, 3)}, goal: maximize("acc"), strategy: "grid")
        for t in a { remember(t, {acc: float(t.k)}) }
        let b = study("second", space: space {k: integers(1, 3)}, goal: maximize("acc"), strategy: "grid")
        for t in b { if t.number == 1 { fail(t, "out of memory") } else { remember(t, {acc: float(t.number)}) } }
        print(history(b).map(fn(r) { [r.number, r.id] }))
        print(b.best.number, b.best.id)
        """)
        #expect(out == "[[0, 4], [1, 5], [2, 6]]\n2 6\n")
        let trials = try runLooplab(["trials", "second", "--store", store.path])
        let rows = trials.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(rows == ["0", "1", "2"], "\(trials.stdout)")
        let best = try runLooplab(["best", "second", "--store", store.path])
        #expect(best.stdout.hasPrefix("second: trial 2,"), "\(best.stdout)")
    }
}
