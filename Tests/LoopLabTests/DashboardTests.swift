import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing

/// `looplab dashboard` in a real browser: headless Chromium loads a study's page, a script adds
/// trials, and the page shows them without a reload. Bad requests get 4xx; the store is only read.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct DashboardTests {
    static let study = """
    let st = study("live", space: space {x: uniform(0.0, 1.0)}, goal: maximize("acc"), strategy: "random", max_trials: int(args[0]), progress: false)
    for t in st { remember(t, {acc: t.x}) }
    """

    /// Starts the dashboard on a free port; gives the process and its address.
    func startDashboard(store: String) throws -> (Process, String) {
        let process = try looplabProcess(["dashboard", "--port", "0", "--store", store])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(20)
        while !line.contains(UInt8(ascii: "\n")), Date() < deadline {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        let url = try #require(text.split(separator: " ").dropFirst().first.map(String.init), "dashboard said: \(text)")
        return (process, url)
    }

    /// One GET: status and body.
    func get(_ url: String) throws -> (Int, String) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String) = (0, "")
        URLSession.shared.dataTask(with: URL(string: url)!) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 20)
        return result
    }

    @Test func aStudyPageFollowsTheStudyInARealBrowser() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let script = store.directory.appendingPathComponent("live.loop")
        try Self.study.write(to: script, atomically: true, encoding: .utf8)
        #expect(try runLooplab(["run", "--store", store.path, script.path, "3"]).status == 0)
        let (dashboard, url) = try startDashboard(store: store.path)
        defer { dashboard.terminate(); dashboard.waitUntilExit() }

        // Reading never writes: after pages are served the write-ahead log is still empty.
        for page in ["/", "/study/live", "/models", "/notes", "/skills", "/api/study/live/version"] {
            let (status, _) = try get(url + page)
            #expect(status == 200, "\(page)")
        }
        let wal = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "the dashboard wrote to the store")

        // Bad requests are 4xx with a message.
        let (missing, body) = try get(url + "/study/nope")
        #expect(missing == 404 && body.contains("no study named 'nope' in ") && body.contains("; studies: live"))
        let (bad, why) = try get(url + "/study/live?rows=many")
        #expect(bad == 400 && why.contains("rows must be a whole number"))
        #expect(try get(url + "/nothing/here").0 == 404)

        guard let python = ProcessInfo.processInfo.environment["PATH"].flatMap({ path in
            path.split(separator: ":").map { "\($0)/python3" }.first(where: FileManager.default.isExecutableFile)
        }) else { print("skipping the browser: python3 is not installed"); return }
        let shot = store.directory.appendingPathComponent("dashboard.png")
        let add = "\(looplabBinary!) run --store '\(store.path)' '\(script.path)' 5 > /dev/null 2>&1"
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: python)
        driver.arguments = [repositoryRoot.appendingPathComponent("Tests/LoopLabTests/Browser/drive_dashboard.py").path,
                            url, "live", add, shot.path]
        let out = Pipe()
        driver.standardOutput = out
        driver.standardError = out
        try driver.run()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        driver.waitUntilExit()
        if said.hasPrefix("skip:") { print("skipping the browser: \(said)"); return }
        #expect(driver.terminationStatus == 0 && said == "ok\n", "\(said)")
        let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
        #expect(size > 10_000)
    }
}
