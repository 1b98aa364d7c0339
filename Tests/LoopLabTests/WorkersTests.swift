import Foundation
import LoopStore
import LoopStorePostgres
import LoopTestSupport
import Testing

/// `looplab run --workers N`: N processes share a study through the store, with one combined
/// status, Ctrl-C forwarded, the worst exit status, and a killed worker's trial rerun.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"), .enabled(if: sharedPostgresStarted))
struct WorkersTests {
    /// Each trial takes `seconds` (an `exec` of sleep), so the workers overlap; `marker` appears
    /// once the first trial has started.
    static func script(trials: Int, seconds: Double, workersHint: String = "", marker: String = "started") -> String {
        """
        let st = study("shared", space: {x: uniform(0.0, 1.0)}, goal: minimize("loss"), strategy: "random",
                       max_trials: \(trials)\(workersHint))
        for t in st {
          write_file("\(marker)", "yes")
          exec("sleep \(seconds)")
          remember(t, {loss: (t.x - 0.3) ** 2})
        }
        print("worker \\(worker.index) of \\(worker.count): \\(len(history(st))) trials, best \\(st.best.number)")
        """
    }

    /// Where a test's store is: the project's default SQLite file, or a fresh PostgreSQL store
    /// (passed to the workers with `--store`).
    static func store(_ backend: Backend, _ dir: URL) throws -> (arguments: [String], location: String) {
        switch backend {
        case .sqlite: return ([], dir.appendingPathComponent(".looplab/looplab.db").path)
        case .postgres:
            PostgresStore.register()
            let url = try ThrowawayPostgres.shared.freshStoreURL()
            return (["--store", url], url)
        }
    }

    @Test(arguments: Backend.allCases) func threeWorkersShareOneStudyAndEachEndsOnItsFinalState(_ backend: Backend) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (storeArguments, location) = try Self.store(backend, dir)
        try Self.script(trials: 12, seconds: 0.2).write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let run = try runLooplab(["run", "--workers", "3"] + storeArguments + ["s.loop"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let trials = try storedTrials("shared", store: location)
        #expect(trials.count == 12)
        #expect(trials.allSatisfy { $0.state == .complete })
        #expect(Set(trials.map(\.params)).count == 12, "a configuration ran twice")
        // Every worker usually runs trials; on a loaded machine one may start after the others
        // have claimed them all, so only "shared" is asserted.
        #expect(Set(trials.compactMap(\.pid)).count >= 2, "one worker ran every trial")
        // Every worker waited for the others' last trials, so all saw the same final study.
        let best = try #require(trials.filter { $0.state == .complete }.min { $0.value! < $1.value! })
        let lines = run.stdout.split(separator: "\n").map(String.init).sorted()
        #expect(lines == (0..<3).map { "[w\($0)] worker \($0) of 3: 12 trials, best \(best.number)" })
        // One combined status from the store instead of per-worker progress lines.
        #expect(run.stderr.contains("study shared: 12 trials (12 complete)"), "\(run.stderr)")
        #expect(!run.stderr.contains("study shared: trial "), "per-worker progress lines: \(run.stderr)")
    }

    @Test func theScriptsWorkersHintIsHonouredAndTheFlagWins() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.script(trials: 6, seconds: 0.1, workersHint: ", workers: 2").write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let hinted = try runLooplab(["run", "s.loop"], directory: dir)
        #expect(hinted.status == 0, "\(hinted.stderr)")
        #expect(hinted.stdout.split(separator: "\n").count == 2, "\(hinted.stdout)")
        #expect(hinted.stdout.contains("[w1] worker 1 of 2"))
        // --workers 1 runs the script in this process, hint or not.
        let single = try runLooplab(["run", "--workers", "1", "s.loop"], directory: dir)
        #expect(single.status == 0)
        #expect(single.stdout == "worker 0 of 1: 6 trials, best \(try bestNumber(dir))\n")
    }

    /// Each worker trains with its share of the CPUs (N workers each with a pool of every CPU
    /// would only take turns); a LOOPLAB_THREADS the user set is left alone.
    @Test func theWorkersShareTheCPUs() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "print(env(\"LOOPLAB_THREADS\"))".write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        if ProcessInfo.processInfo.environment["LOOPLAB_THREADS"] == nil {
            let shared = try runLooplab(["run", "--workers", "2", "s.loop"], directory: dir)
            #expect(shared.status == 0, "\(shared.stderr)")
            let share = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
            #expect(shared.stdout.split(separator: "\n").sorted() == ["[w0] \(share)", "[w1] \(share)"], "\(shared.stdout)")
        }
        let chosen = try runLooplab(["run", "--workers", "2", "s.loop"], directory: dir, environment: ["LOOPLAB_THREADS": "1"])
        #expect(chosen.stdout.split(separator: "\n").sorted() == ["[w0] 1", "[w1] 1"], "\(chosen.stdout)")
    }

    @Test func badWorkerCountsAreUsageErrors() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "print(1)".write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        for count in ["0", "-3", "257", "99999999999999999999"] {
            let run = try runLooplab(["run", "--workers", count, "s.loop"], directory: dir)
            #expect(run.status == 2, "--workers \(count): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        let stdin = try runLooplab(["run", "--workers", "2", "-"], stdin: "print(1)", directory: dir)
        #expect(stdin.status == 2 && stdin.stderr.contains("needs a script file"), "\(stdin.stderr)")
        let hint = try runLooplab(["run", "-"], stdin: "study(\"x\", space: {a: uniform(0, 1)}, workers: 0)", directory: dir)
        #expect(hint.status == 1 && hint.stderr.contains("workers must be in 1...256"), "\(hint.stderr)")
    }

    @Test func aScriptThatDoesNotCompileFailsOnceBeforeAnyWorkerStarts() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "let st = study(\"x\", space: {a: uniform(0, 1)})\nprint(undefined_name)\n".write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let run = try runLooplab(["run", "--workers", "3", "s.loop"], directory: dir)
        #expect(run.status == 2)
        #expect(run.stderr.components(separatedBy: "undefined_name").count - 1 >= 1)
        #expect(!run.stderr.contains("[w"), "a worker started: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".looplab").path), "nothing is written")
        let missing = try runLooplab(["run", "--workers", "3", "nope.loop"], directory: dir)
        #expect(missing.status == 2 && missing.stderr.contains("cannot read 'nope.loop'"), "\(missing.stderr)")
    }

    /// A worker killed with -9 mid-trial: its trial goes stale (its process is gone), another
    /// worker runs that configuration again, the study still ends with max_trials complete
    /// trials, and the launcher reports the worst status, 137.
    @Test(arguments: Backend.allCases) func aKilledWorkersTrialIsRerunAndTheStudyCompletes(_ backend: Backend) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (storeArguments, location) = try Self.store(backend, dir)
        try Self.script(trials: 6, seconds: 1.5).write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let process = try looplabProcess(["run", "--workers", "3"] + storeArguments + ["s.loop"], directory: dir)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let outText = PipeCollector(out), errText = PipeCollector(err)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var victim: (pid: Int32, params: String)?
        while victim == nil, Date() < deadline {
            usleep(100_000)
            // Read-only and without #require: the store and the study appear only once a worker
            // has started.
            guard let reading = try? Store.openExisting(location, options: Store.Options(readOnly: true)) else { continue }
            defer { try? reading.close() }
            guard let study = try? reading.study(named: "shared"),
                  let running = (try? reading.trials(studyID: study.id))?.first(where: { $0.state == .running }),
                  let pid = running.pid else { continue }
            victim = (Int32(pid), running.params.description)
        }
        let (pid, params) = try #require(victim)
        kill(pid, SIGKILL)
        process.waitUntilExit()
        let stderr = errText.text()
        _ = outText.text()
        #expect(process.terminationStatus == 137, "\(stderr)")
        #expect(stderr.contains("worker stopped by signal 9"), "\(stderr)")
        let trials = try storedTrials("shared", store: location)
        let stale = trials.filter { $0.state == .stale }
        #expect(stale.count == 1 && stale.first?.error?.contains("no longer exists") == true)
        #expect(trials.filter { $0.state == .complete }.count == 6)
        #expect(trials.filter { $0.state == .complete }.contains { $0.params.description == params }, "the stale configuration was not run again")
    }

    @Test func ctrlCReachesEveryWorkerOnceAndTheLauncherExits130() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Trials of 4 s, Ctrl-C 2 s after the first one started: time for the other two workers
        // to start theirs on a loaded machine, and none has finished.
        try Self.script(trials: 30, seconds: 4).write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let run = try runLooplab(["run", "--workers", "3", "s.loop"], directory: dir, signal: SIGINT,
                                 whenExists: dir.appendingPathComponent("started"), after: 2)
        #expect(run.status == 130, "\(run.stderr)")
        let trials = try storedTrials("shared", store: dir.appendingPathComponent(".looplab/looplab.db").path)
        #expect(trials.filter { $0.state == .interrupted }.count == 3, "\(trials.map(\.state))")
        #expect(!trials.contains { $0.state == .running || $0.state == .complete })
        #expect(Set(trials.compactMap(\.pid)).count == 3, "each worker's running trial is interrupted")
    }

    private func bestNumber(_ dir: URL) throws -> Int {
        let trials = try storedTrials("shared", store: dir.appendingPathComponent(".looplab/looplab.db").path)
        return try #require(trials.filter { $0.state == .complete }.min { $0.value! < $1.value! }).number
    }
}
