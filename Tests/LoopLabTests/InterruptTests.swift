import Foundation
import Glibc
import LoopStore
import LoopStorePostgres
import Testing

/// A `looplab` process stopped from outside: Ctrl-C (SIGINT), SIGTERM or SIGKILL sent once the
/// script has written `marker`, so the signal lands where the test means it to (inside `train`)
/// however loaded the machine is.
struct SignalledRun {
    var status: Int32
    /// Whether the process ended by a signal (then `status` is the signal's number).
    var killedBySignal: Bool
    var stdout: String
    var stderr: String
}

func runLooplab(_ arguments: [String], directory: URL, signal: Int32, whenExists marker: URL,
                after delay: Double = 0.3, environment extra: [String: String] = [:]) throws -> SignalledRun {
    let process = try looplabProcess(arguments, directory: directory, environment: extra)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    // Read both pipes while the process runs, so a chatty process never blocks on a full pipe.
    let outData = PipeCollector(out), errData = PipeCollector(err)
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: marker.path), process.isRunning, Date() < deadline { usleep(10_000) }
    usleep(UInt32(delay * 1_000_000))
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    return SignalledRun(status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                        stdout: outData.text(), stderr: errData.text())
}

/// Drains a pipe on a background thread.
final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self.lock.lock()
                self.data.append(chunk)
                self.lock.unlock()
            }
            self.done.signal()
        }.start()
    }

    func text() -> String {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The trials of a study in a store file, read directly.
func storedTrials(_ study: String, store location: String) throws -> [Trial] {
    PostgresStore.register()
    let store = try Store.open(location, projectDirectory: URL(fileURLWithPath: "/"))
    defer { try? store.close() }
    let found = try #require(try store.study(named: study))
    return try store.trials(studyID: found.id)
}

/// Ctrl-C, SIGTERM and SIGKILL against running scripts: what the loop records and what the
/// process reports (issue: trust the loop).
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct InterruptTests {
    /// A study whose trial trains until stopped; the body goes on after `train` returns and even
    /// calls `remember`, which must not complete the trial.
    static func studyScript(marker: URL) -> String {
        """
        let parts = split(dataset("spirals", n: 1000, seed: 0), train: 0.8, val: 0.2, seed: 0)
        let st = study("cc", space: space {lr: loguniform(1e-3, 1e-1)}, goal: maximize("accuracy"), max_trials: 5)
        for t in st {
          let m = mlp(parts, hidden: [64], seed: 0)
          print("trial", t.number, "training")
          write_file(\(loopString(marker.path)), "x")
          try {
            # With "report", train(..., trial: t) reports to the trial and marks it interrupted itself.
            let r = train(m, parts, epochs: 1_000_000, budget: 60s, lr: t.lr, progress: false,
                          trial: if args.count > 0 { t } else { nil })
            print("train ended:", r.status)      # the interrupt stops the body here...
          } catch e { print("caught", e.kind) }    # ...it is caught,
          remember(t, {accuracy: eval(m, parts.val).accuracy})   # and this must not complete the trial
        }
        print("not reached")
        """
    }

    func stoppedStudy(signal: Int32, arguments: [String] = []) throws -> (SignalledRun, [Trial]) {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("training")
        try Self.studyScript(marker: marker).write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("store.db").path
        let run = try runLooplab(["run", "--store", store, "s.loop"] + arguments, directory: dir, signal: signal, whenExists: marker)
        return (run, try storedTrials("cc", store: store))
    }

    @Test func ctrlCDuringTrainInATrialRecordsItInterruptedAndExits130() throws {
        let (run, trials) = try stoppedStudy(signal: SIGINT)
        #expect(run.status == 130, "stderr: \(run.stderr)")
        #expect(run.stdout == "trial 0 training\ncaught interrupted\n")
        #expect(run.stderr.contains("interrupted"))
        // One trial, interrupted although the body called remember; the study did not go on.
        #expect(trials.map(\.state) == [.interrupted])
        #expect(trials.first?.error == "interrupted (Ctrl-C)")
    }

    @Test func sigtermStopsLikeCtrlCFlushesAndExits143() throws {
        let (run, trials) = try stoppedStudy(signal: SIGTERM, arguments: ["report"])
        #expect(!run.killedBySignal)
        #expect(run.status == 143, "stderr: \(run.stderr)")
        // Output to a pipe survives: every line printed before the signal, and after it.
        #expect(run.stdout == "trial 0 training\ncaught interrupted\n")
        #expect(run.stderr.contains("terminated (SIGTERM)"))
        #expect(trials.map(\.state) == [.interrupted])
        #expect(trials.first?.error?.hasPrefix("terminated (SIGTERM) during train at step ") == true)
    }

    @Test func printedLinesSurviveKillMinus9() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("printed")
        try """
        for i in 0..<3 { print("line", i) }
        write_file(\(loopString(marker.path)), "x")
        while true {}
        """.write(to: dir.appendingPathComponent("k.loop"), atomically: true, encoding: .utf8)
        let run = try runLooplab(["run", "k.loop"], directory: dir, signal: SIGKILL, whenExists: marker, after: 0.05)
        #expect(run.killedBySignal && run.status == SIGKILL)
        #expect(run.stdout == "line 0\nline 1\nline 2\n")
    }

    @Test func ctrlCEndsTrainAndTheCodeThatCalledIt() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("training")
        // `train` returns its Run (so `r = train(...)` keeps it), and the interrupt then stops
        // the calling code at its next step, here inside a `try` that catches it.
        try """
        let data = dataset("spirals", n: 600, seed: 0)
        var r = nil
        try {
          write_file(\(loopString(marker.path)), "x")
          r = train(mlp(data, hidden: [32], seed: 0), data, epochs: 1_000_000, budget: 60s, progress: false)
          print("not reached")
        } catch e { print("caught", e.kind) }
        print("status", r.status, r.steps > 0)
        """.write(to: dir.appendingPathComponent("t.loop"), atomically: true, encoding: .utf8)
        let run = try runLooplab(["run", "t.loop"], directory: dir, signal: SIGINT, whenExists: marker)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == "caught interrupted\nstatus interrupted true\n")
    }
}

/// A study that stops because its trials keep failing must not look like success.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct StudyExitTests {
    @Test func aStudyStoppedByRepeatedErrorsExits1() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        let data = dataset("spirals", n: 200, seed: 0)
        let st = study("typo", space: space {lr: loguniform(1e-3, 1e-1)}, goal: maximize("accuracy"), max_trials: 20)
        for t in st {
          let m = mlp(data, hidden: [8], seed: 0)
          train(m, data, epochs: 1, lr: t.lr, optimizer: "adamx", progress: false)
          remember(t, {accuracy: eval(m, data).accuracy})
        }
        print("not reached")
        """.write(to: dir.appendingPathComponent("typo.loop"), atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("store.db").path
        let r = try runLooplab(["run", "--store", store, "typo.loop"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("study 'typo' stopped: 3 trials in a row failed with the same error (max_repeated_error: 3); the last was trial 2:"))
        #expect(r.stderr.contains("unknown optimizer 'adamx'"))
        #expect(try storedTrials("typo", store: store).map(\.state) == [.failed, .failed, .failed])
    }
}
