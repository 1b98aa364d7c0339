// looplab-store-stress: a child process for LoopStore's reliability tests (and a manual tool).
//
//   looplab-store-stress DB_PATH|URL STUDY [--count N] [--tag TAG] [--hold]
//
// Opens the store at DB_PATH, opens STUDY, and runs trials one after another (forever when N is
// 0): start, two reports, complete with metrics {"score": number}. After each completion has
// committed it prints `committed ID NUMBER TAG` on stdout, unbuffered, so a parent that kills this
// process at any moment knows exactly which trials the store promised to keep. Any store error
// is printed on stderr and exits 1. With --hold it starts one trial, prints `started ID`, and
// sleeps until killed (a trial orphaned on demand, for stale detection). The tests run it as a separate executable (not the test
// binary re-invoked) because `kill -9` must hit a real, independent process.
import Foundation
import LoopStore
import LoopStorePostgres

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("looplab-store-stress: \(message)\n".utf8))
    exit(1)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var count = 0
var tag = "w"
func option(_ name: String, in arguments: inout [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    let value = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
    return value
}
if let value = option("--count", in: &arguments) { count = Int(value) ?? 0 }
if let value = option("--tag", in: &arguments) { tag = value }
let hold = arguments.contains("--hold")
arguments.removeAll { $0 == "--hold" }
guard arguments.count == 2 else { fail("usage: looplab-store-stress DB_PATH STUDY [--count N] [--tag TAG]") }

do {
    PostgresStore.register()
    let store = try Store.open(arguments[0], projectDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    let study = try store.openStudy(StudySpec(name: arguments[1], space: ["x": ["uniform", 0, 1]],
                                              goalMetric: "score", goalDirection: .maximize))
    if hold {
        let trial = try store.startTrial(studyID: study.id, params: ["writer": .string(tag), "held": true])
        FileHandle.standardOutput.write(Data("started \(trial.id)\n".utf8))
        while true { sleep(60) }
    }
    var done = 0
    while count == 0 || done < count {
        let trial = try store.startTrial(studyID: study.id, params: ["writer": .string(tag), "i": .int(done)])
        try store.report(trialID: trial.id, step: 1, value: 0.5)
        try store.report(trialID: trial.id, step: 2, value: 0.75)
        let score = Double(trial.number)
        try store.finishTrial(id: trial.id, state: .complete, metrics: ["score": score], value: score)
        FileHandle.standardOutput.write(Data("committed \(trial.id) \(trial.number) \(tag)\n".utf8))
        done += 1
    }
} catch {
    fail(String(describing: error))
}
