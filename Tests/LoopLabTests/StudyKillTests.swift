import Foundation
import LoopStore
import LoopSupport
import Testing

/// The study loop under `kill -9` at random moments, through the real `looplab` binary (an
/// independent process owning its trials), and the store closed cleanly however a script ends.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct StudyKillTests {
    // Enough that twelve short runs (20-150 ms each, ~5 ms a trial) cannot finish the study.
    static let trials = 500
    static let script = """
    let st = study("kill", space: space {x: uniform(0.0, 1.0), n: integers(1, 1000)}, strategy: "random",
                   max_trials: \(trials))
    for t in st {
      var s = 0
      for i in 0..<400000 { s += i }     # some work, so kills land inside trials as well as in writes
      remember(t, {loss: t.x, work: float(s)})
      print("done", t.number)
    }
    print("finished", st.count)
    """

    struct Completed: Equatable {
        var params: [String: JSONValue]
        var value: Double?
    }

    /// Opens the store the child left, checks it, and returns its completed trials by number.
    func inspect(_ path: String) throws -> [Int: Completed] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let store = try Store(path: path)
        defer { try? store.close() }
        #expect(try store.integrityCheck() == ["ok"])
        guard let study = try store.study(named: "kill") else { return [:] }
        var out: [Int: Completed] = [:]
        for t in try store.trials(studyID: study.id) where t.state == .complete {
            out[t.number] = Completed(params: t.params, value: t.value)
        }
        return out
    }

    @Test func randomKillsLoseNothingAndTheRerunResumes() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let scriptURL = store.directory.appendingPathComponent("kill.loop")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["LOOPLAB_STDLIB"] = repositoryRoot.appendingPathComponent("stdlib").path
        environment["LOOPLAB_STORE"] = store.path

        var completed: [Int: Completed] = [:]
        var killedMidRun = 0
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: try #require(looplabBinary))
            child.arguments = ["run", scriptURL.path]
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            usleep(UInt32.random(in: 20_000...150_000, using: &generator))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            if child.terminationReason == .uncaughtSignal { killedMidRun += 1 }

            let now = try inspect(store.path)
            for (number, trial) in completed {
                #expect(now[number] == trial, "completed trial \(number) changed or vanished after a kill")
            }
            completed.merge(now) { old, _ in old }
        }
        #expect(killedMidRun >= 10)
        #expect(completed.count < Self.trials, "the kills should interrupt the study before it finishes")

        // The rerun resumes: it finishes the study and never re-runs a completed trial.
        let rerun = try runLooplab(["run", "--store", store.path, scriptURL.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.hasSuffix("finished \(Self.trials)\n"))
        let ranAgain = rerun.stdout.split(separator: "\n").filter { $0.hasPrefix("done ") }.compactMap { Int($0.dropFirst(5)) }
        #expect(ranAgain.allSatisfy { completed[$0] == nil })
        let final = try inspect(store.path)
        #expect(final.count == Self.trials)
        for (number, trial) in completed { #expect(final[number] == trial) }
        let configurations = final.values.map { "\($0.params)" }
        #expect(Set(configurations).count == configurations.count, "a completed configuration ran twice")
    }

    /// The store's write-ahead log is folded back when a script ends, also by an error.
    @Test func theStoreIsClosedWhenAScriptEnds() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let wal = store.path + "-wal"
        let ok = store.directory.appendingPathComponent("ok.loop")
        try #"remember("a finding", tags: ["x"]); print("ok")"#.write(to: ok, atomically: true, encoding: .utf8)
        let good = try runLooplab(["run", "--store", store.path, ok.path])
        #expect(good.status == 0 && good.stdout == "ok\n")
        #expect(FileManager.default.fileExists(atPath: store.path))
        #expect(!FileManager.default.fileExists(atPath: wal), "the WAL was left behind after a clean end")

        let bad = store.directory.appendingPathComponent("bad.loop")
        try #"remember("another", tags: ["y"]); let z = 1 / 0"#.write(to: bad, atomically: true, encoding: .utf8)
        let failed = try runLooplab(["run", "--store", store.path, bad.path])
        #expect(failed.status == 1)
        #expect(!FileManager.default.fileExists(atPath: wal), "the WAL was left behind after an error")
        let reopened = try Store(path: store.path)
        defer { try? reopened.close() }
        #expect(try reopened.recall("another").count == 1)
    }
}
