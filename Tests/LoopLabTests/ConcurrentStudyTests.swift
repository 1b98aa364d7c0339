import Foundation
import Testing

/// Several `looplab` processes on one study: `max_trials` limits the study, not each process,
/// and no configuration runs twice (the store claims a trial number and a configuration in one
/// transaction).
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct ConcurrentStudyTests {
    static let script = """
    let st = study("shared", space: space {x: uniform(0.0, 1.0), k: integers(1, 8)}, strategy: args[0], seed: 7,
                   max_trials: 60, max_near_duplicates: 1000)
    for t in st {
      var spin = 0
      for i in 0..<3000 { spin += i }      # a trial body of about a millisecond
      remember(t, {loss: (t.x - 0.3) ** 2 + 0.01 * t.k})
    }
    """

    @Test func fourProcessesNeverOvershootOrRepeat() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.script.write(to: dir.appendingPathComponent("shared.loop"), atomically: true, encoding: .utf8)
        let strategies = ["tpe", "random", "gp"]
        for repetition in 0..<20 {
            let strategy = strategies[repetition % strategies.count]
            let store = dir.appendingPathComponent("run\(repetition).db").path
            var processes: [(Process, URL)] = []
            for worker in 0..<4 {
                let p = try looplabProcess(["run", "--store", store, "shared.loop", strategy], directory: dir)
                let log = dir.appendingPathComponent("run\(repetition)-\(worker).err")
                FileManager.default.createFile(atPath: log.path, contents: nil)
                p.standardOutput = FileHandle.nullDevice
                p.standardError = try FileHandle(forWritingTo: log)
                try p.run()
                processes.append((p, log))
            }
            for (p, log) in processes {
                p.waitUntilExit()
                let errors = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n")
                    .filter { !$0.hasPrefix("study shared: trial ") }.joined(separator: "\n") ?? ""
                #expect(p.terminationStatus == 0, "repetition \(repetition) (\(strategy)): \(errors)")
            }
            let trials = try storedTrials("shared", store: store)
            #expect(trials.count == 60, "repetition \(repetition) (\(strategy)): \(trials.count) trials")
            #expect(Set(trials.map(\.params)).count == trials.count, "repetition \(repetition) (\(strategy)): a configuration ran twice")
            #expect(trials.map(\.number) == Array(0..<trials.count))
            #expect(trials.allSatisfy { $0.state == .complete })
        }
    }
}
