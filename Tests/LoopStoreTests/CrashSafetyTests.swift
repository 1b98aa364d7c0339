import Foundation
import LoopStore
import Testing

/// `kill -9` of a writer at random points, many times: the database stays intact, every trial the
/// writer reported as committed is still there and complete, and the study resumes.
@Suite struct CrashSafetyTests {
    @Test func killNineAtRandomPointsLosesNoCommittedTrial() throws {
        let tool = try StressTool()
        let directory = TemporaryDirectory("crash")
        var committed: [Int64: Int] = [:]  // trial id -> number, as promised by the children
        var generator = SystemRandomNumberGenerator()

        for round in 0..<20 {
            let child = try tool.start([directory.databasePath, "crash"])
            if round.isMultiple(of: 2) {
                // Anywhere from 5 ms (still opening or migrating) to 250 ms.
                usleep(UInt32.random(in: 5_000...250_000, using: &generator))
            } else {
                // Surely mid-stream, however slow the machine: after the first commit.
                _ = child.readLine()
                usleep(UInt32.random(in: 0...60_000, using: &generator))
            }
            child.kill9()
            let (lines, stderr) = child.finish()
            #expect(child.process.terminationReason == .uncaughtSignal, "child failed on its own: \(stderr)")
            #expect(stderr.isEmpty, "child reported: \(stderr)")
            for line in lines {
                let fields = line.split(separator: " ")
                try #require(fields.count == 4 && fields[0] == "committed", "unexpected line \(line)")
                committed[Int64(fields[1])!] = Int(fields[2])!
            }
        }
        #expect(committed.count >= 10, "every other child was killed after committing")

        let store = try Store(path: directory.databasePath)
        #expect(try store.integrityCheck() == ["ok"])
        let study = try #require(try store.study(named: "crash"))
        try store.recoverStaleTrials(studyID: study.id)
        let trials = Dictionary(uniqueKeysWithValues: try store.trials(studyID: study.id).map { ($0.id, $0) })
        for (id, number) in committed {
            let trial = try #require(trials[id], "committed trial \(id) is missing")
            #expect(trial.state == .complete && trial.number == number && trial.value == Double(number))
            #expect(trial.metrics == ["score": Double(number)])
        }
        #expect(!trials.values.contains { $0.state == .running }, "orphans must have become stale")
        #expect(Set(trials.values.map(\.number)).count == trials.count, "trial numbers must stay unique")

        // The study resumes where it stopped.
        let next = try store.startTrial(studyID: study.id, params: ["resumed": true])
        #expect(next.number == (trials.values.map(\.number).max() ?? -1) + 1)
    }
}
