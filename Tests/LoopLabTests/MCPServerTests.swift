import Foundation
import LoopLab
import LoopStore
import Testing

/// `looplab mcp` driven by the official MCP Python SDK client (PyPI `mcp`, installed by
/// `scripts/install-deps --test`) over stdio: the protocol, not just the tools, is what is
/// tested. Without the package the suite is skipped, except under CI=true, where it fails.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"), .serialized)
struct MCPServerTests {
    static let script = repositoryRoot.appendingPathComponent("Tests/LoopLabTests/MCP/mcp_session.py").path

    /// The session's transcript summary, or nil when the client library is missing outside CI.
    private func drive(_ mode: String, extra: [String] = []) throws -> [String: Any]? {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, mode, try #require(looplabBinary), dir.appendingPathComponent("looplab.db").path] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["LOOPLAB_STDLIB"] = repositoryRoot.appendingPathComponent("stdlib").path
        process.environment = environment
        process.currentDirectoryURL = dir
        let out = dir.appendingPathComponent("out.txt"), err = dir.appendingPathComponent("err.txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        let said = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if said.hasPrefix("skip:") {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI must have the mcp package: \(said)")
            return nil
        }
        try #require(process.terminationStatus == 0, "mcp_session.py \(mode) failed:\n\(said)\n\(stderr.suffix(3000))")
        return try #require(try JSONSerialization.jsonObject(with: Data(said.utf8)) as? [String: Any])
    }

    @Test func aClientRunsAStudyThroughTheServer() throws {
        guard let t = try drive("session") else { return }
        // Every tool of the catalog is listed, with an object schema.
        let tools = try #require(t["tools"] as? [String])
        #expect(tools == Toolbox.tools.map(\.name).sorted())
        for name in ["list_studies", "study_summary", "create_study", "ask", "tell", "trials", "best", "importance", "report",
                     "remember", "recall", "promote", "champion", "rollback", "list_skills", "skill_info", "find_skills", "run_loop"] {
            #expect(tools.contains(name), "missing tool \(name)")
        }
        #expect(t["schemas_ok"] as? Bool == true)

        // 20 rounds of ask/tell: trials numbered in order, the best is the smallest loss told.
        #expect(t["numbers"] as? [Int] == Array(0..<20))
        let values = try #require(t["values"] as? [Double])
        let best = try #require(t["best"] as? [String: Any])
        #expect(best["value"] as? Double == values.min())
        #expect(best["number"] as? Int == values.firstIndex(of: values.min()!))
        // The strategy learns: the best of the last ten beats the first five's.
        #expect(values[10...].min()! < values[..<5].min()!)
        let summary = try #require(t["summary"] as? [String: Any])
        #expect((summary["counts"] as? [String: Int])?["complete"] == 20)
        let ranked = try #require((t["trials_best_first"] as? [String: Any])?["trials"] as? [[String: Any]])
        #expect(ranked.count == 3 && ranked.compactMap { $0["value"] as? Double } == Array(values.sorted().prefix(3)))
        let failed = try #require(t["failed"] as? [String: Any])
        #expect(failed["status"] as? String == "failed" && failed["error"] as? String == "CUDA out of memory")

        // The report is written and its charts come back as images.
        let report = try #require(t["report"] as? [String: Any])
        #expect((report["path"] as? String)?.hasSuffix(".looplab/reports/bowl.html") == true)
        #expect(t["report_images"] as? [String] == ["image/svg+xml", "image/svg+xml"])
        let importance = try #require((t["importance"] as? [String: Any])?["importance"] as? [[String: Any]])
        #expect(Set(importance.compactMap { $0["parameter"] as? String }) == ["x", "y", "layers", "act"])

        // Memory: what was remembered is recalled by a stemmed word.
        let hits = try #require(t["recall"] as? [[String: Any]])
        #expect(hits.contains { ($0["text"] as? String)?.contains("tanh activations") == true })

        // Bad arguments are error results that say what is wrong.
        let errors = try #require(t["errors"] as? [String: String])
        #expect(errors["unknown_study"]?.contains("no study named 'nope'") == true)
        #expect(errors["bad_argument"] == "ask: unknown argument 'count' (it takes: n, study)")
        #expect(errors["missing_goal_metric"]?.contains("'loss'") == true)
        #expect(errors["bad_space"]?.contains("loguniform needs low > 0") == true)
        #expect(errors["unknown_tool"]?.contains("no_such_tool") == true)

        // run_loop: .loop code on the same store, with no exec and no writes.
        let ran = try #require(t["run_loop"] as? [String: Any])
        #expect(ran["value"] as? Int == 42 && ran["error"] is NSNull)
        #expect((ran["output"] as? String) == "\(try #require((best["params"] as? [String: Any])?["layers"] as? Int))\n")
        let exec = try #require((t["run_loop_exec"] as? [String: Any])?["error"] as? String)
        #expect(exec.contains("permission denied") && exec.contains("may not run 'echo'") && exec.contains("--allow-exec"))
        let write = try #require((t["run_loop_write"] as? [String: Any])?["error"] as? String)
        #expect(write.contains("permission denied") && write.contains("may not write 'mcp-written.txt'"))

        let dashboard = try #require(t["dashboard"] as? [String: Any])
        #expect(dashboard["started"] as? [Bool] == [true, false] && dashboard["same"] as? Bool == true)
        #expect(dashboard["status"] as? Int == 200 && dashboard["mentions_study"] as? Bool == true)

        let resources = try #require(t["resources"] as? [String])
        #expect(resources.contains("looplab://study/bowl") && resources.contains("looplab://docs/mcp"))
        #expect((t["resource_study"] as? [String: Any])?["name"] as? String == "bowl")
    }

    @Test func aCancelledRunLoopStopsAndTheServerGoesOn() throws {
        guard let t = try drive("cancel") else { return }
        #expect(t["cancelled"] as? Bool == true)
        let ticks = try #require(t["ticks"] as? [Int])
        // It ran (notes were written), then stopped: no note arrives after the cancel.
        #expect(ticks.count == 2 && ticks[0] > 0 && ticks[0] == ticks[1], "\(ticks)")
        #expect((t["budget_error"] as? String)?.contains("run_loop: stopped after 500ms (timeout_seconds)") == true)
    }
}
