import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoopDashboard
import LoopLab
import LoopStore
import LoopSupport

/// `looplab bench report`: how long `looplab report` and the dashboard's study page take for a
/// study of 10,000 trials (4 parameters, a made-up objective), in a scratch store.
enum ReportBench {
    static func report(trials: Int, rounds: Int) throws -> BenchReport {
        let directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-bench-report")
        defer { POSIXFiles.removeTree(directory) }
        let store = try Store(path: directory + "/looplab.db")
        defer { try? store.close() }
        try fill(store, trials: trials)

        var report = BenchReport(bench: "report", referenceNames: [])
        let seconds = (0..<rounds).map { _ in time { _ = try? StudyReport.html(study: "bench", store: store) } }
        let bytes = (try StudyReport.html(study: "bench", store: store))?.utf8.count ?? 0
        report.rows.append(BenchRow(caseName: "looplab report, \(trials) trials (median of \(rounds))", value: median(seconds) * 1000, unit: "ms"))

        // The dashboard, served in this process: the first load of the page draws it, the next
        // ones find it drawn (the study has not changed).
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var address = ""
        let server = Task.detached { try await Dashboard.run(store: store, port: 0, logLevel: .critical) { url in address = url; ready.signal() } }
        defer { server.cancel() }
        guard ready.wait(timeout: .now() + 30) == .success else { throw BenchFailure("the dashboard did not start") }
        // One small request first, so the first load's time is the page's, not the HTTP client's
        // own start-up (its first request costs tens of milliseconds more).
        _ = get(address + "/api/version")
        let cold = time { _ = get(address + "/study/bench") }
        let warm = (0..<rounds).map { _ in time { _ = get(address + "/study/bench") } }
        let page = get(address + "/study/bench")
        report.rows.append(BenchRow(caseName: "dashboard study page, first load", value: cold * 1000, unit: "ms"))
        report.rows.append(BenchRow(caseName: "dashboard study page, again (median of \(rounds))", value: median(warm) * 1000, unit: "ms"))
        report.note = "report \(bytes / 1024) KiB, dashboard page \(page.count / 1024) KiB (the latest 300 trials in its table, 500 per chart); targets: report < 1 s, page < 200 ms."
        return report
    }

    struct BenchFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static func fill(_ store: Store, trials: Int) throws {
        let spec = StudySpec(name: "bench", space: .array([
            ["name": "lr", "distribution": "loguniform", "low": 1e-4, "high": 1e-1],
            ["name": "hidden", "distribution": "choice", "values": [32, 64, 128]],
            ["name": "layers", "distribution": "integers", "low": 1, "high": 4, "step": 1],
            ["name": "wd", "distribution": "uniform", "low": 0.0, "high": 0.1],
        ]), goalMetric: "acc", goalDirection: .maximize, strategy: "random", settings: ["max_trials": .int(trials)])
        let study = try store.openStudy(spec)
        var rng = SystemRandomNumberGenerator()
        let rows = (0..<trials).map { _ -> (params: [String: JSONValue], metrics: [String: Double], value: Double?) in
            let lr = pow(10, Double.random(in: -4 ... -1, using: &rng)), hidden = [32, 64, 128].randomElement(using: &rng)!
            let layers = Int.random(in: 1...4, using: &rng), wd = Double.random(in: 0...0.1, using: &rng)
            let acc = 0.95 - 0.05 * pow(log10(lr) + 2, 2) - 0.01 * Double(layers) + wd * 0.1
            return (["lr": .number(lr), "hidden": .int(hidden), "layers": .int(layers), "wd": .number(wd)], ["acc": acc], acc)
        }
        try store.recordTrials(studyID: study.id, rows, start: Date().addingTimeInterval(-Double(trials)))
    }

    private static func time(_ body: () -> Void) -> Double {
        let start = Monotonic.seconds()
        body()
        return Monotonic.seconds() - start
    }

    private static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    private static func get(_ url: String) -> String {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var body = ""
        URLSession.shared.dataTask(with: URL(string: url)!) { data, _, _ in
            body = String(decoding: data ?? Data(), as: UTF8.self)
            done.signal()
        }.resume()
        done.wait()
        return body
    }
}
