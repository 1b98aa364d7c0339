import Foundation
import LoopLab
import LoopStore
import LoopSupport
import Testing

/// The tools `looplab mcp` serves, called in-process: the guardrails, hostile arguments and the
/// grants of run_loop. (MCPServerTests drives the same tools through the real protocol.)
@Suite struct ToolboxTests {
    private func withToolbox(grants: Toolbox.Grants = Toolbox.Grants(), _ body: (Toolbox, ScratchStore) throws -> Void) throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let toolbox = Toolbox(settings: HostSettings(storePath: scratch.path), projectDirectory: scratch.directory.path, grants: grants,
                              stdlibDirectory: repositoryRoot.appendingPathComponent("stdlib").path)
        defer { toolbox.close() }
        try body(toolbox, scratch)
    }

    private let space: JSONValue = ["x": ["distribution": "uniform", "low": 0, "high": 1],
                                    "k": ["distribution": "integers", "low": 1, "high": 3]]

    private func failure(_ toolbox: Toolbox, _ name: String, _ args: [String: JSONValue]) -> String? {
        do { _ = try toolbox.call(name, args); return nil } catch { return error.message }
    }

    @Test func askStopsAtMaxTrialsAndTellChecksWhatItIsTold() throws {
        try withToolbox { toolbox, _ in
            _ = try toolbox.call("create_study", ["name": "s", "space": space, "goal": ["metric": "loss"], "max_trials": 3, "strategy": "random"])
            let asked = try toolbox.call("ask", ["study": "s", "n": 5]).json
            let trials = try #require(asked["trials"]?.arrayValue)
            #expect(trials.count == 3)
            #expect(asked["stop_reason"] == "max_trials")
            #expect(try toolbox.call("ask", ["study": "s"]).json["trials"]?.arrayValue?.isEmpty == true)

            #expect(failure(toolbox, "tell", ["study": "s", "number": 7, "metrics": ["loss": 1]])?.contains("has no trial 7") == true)
            #expect(failure(toolbox, "tell", ["study": "s", "number": 0, "metrics": ["loss": "low"]]) == "tell: metric 'loss' must be a number, got \"low\"")
            #expect(failure(toolbox, "tell", ["study": "s", "number": 0, "status": "done"])?.contains("status must be") == true)
            _ = try toolbox.call("tell", ["study": "s", "number": 0, "metrics": ["loss": 0.5]])
            #expect(failure(toolbox, "tell", ["study": "s", "number": 0, "metrics": ["loss": 0.1]])?.contains("already") == true)
            #expect(failure(toolbox, "ask", ["study": "s", "n": 0])?.contains("'n' must be an integer in 1...100") == true)
            #expect(failure(toolbox, "ask", ["study": "s", "n": 1e300])?.contains("'n' must be an integer") == true)
            #expect(failure(toolbox, "ask", ["n": 1]) == "ask: missing required argument 'study'")
            #expect(failure(toolbox, "trials", ["study": "s", "status": "great"])?.contains("unknown status 'great'") == true)
            #expect(failure(toolbox, "trials", ["study": "s", "limit": 0])?.contains("'limit' must be an integer in 1...100000") == true)
        }
    }

    @Test func hostileStudiesAreRefusedWithTheReason() throws {
        try withToolbox { toolbox, _ in
            let bad: [(JSONValue, String)] = [
                ([:], "the space has no parameters"),
                (["x": ["distribution": "uniform", "low": 2, "high": 1]], "'x': low 2.0 is above high 1.0"),
                (["x": ["distribution": "uniform", "low": -1e308, "high": 1e308]], "is empty or not finite"),
                (["x": ["distribution": "integers", "low": 0, "high": 9, "step": 0]], "'x': step must be at least 1"),
                (["x": ["distribution": "integers", "low": 0, "high": 1e300]], "'x': high must be an integer"),
                (["x": ["distribution": "choice", "values": []]], "choice needs a non-empty list"),
                (["x": ["distribution": "normal", "low": 0, "high": 1]], "unknown distribution 'normal'"),
                (["x": 3], "'x': expected"),
                ("x", "a space is an object"),
            ]
            for (space, message) in bad {
                let said = failure(toolbox, "create_study", ["name": "h", "space": space, "goal": ["metric": "loss"]])
                #expect(said?.contains(message) == true, "\(space.serialized()): \(said ?? "accepted")")
            }
            #expect(failure(toolbox, "create_study", ["name": "h", "space": space, "goal": ["metric": "loss", "direction": "up"]])?
                .contains("goal.direction must be") == true)
            #expect(failure(toolbox, "create_study", ["name": "", "space": space, "goal": ["metric": "loss"]])?.contains("1 to 200 characters") == true)
            #expect(failure(toolbox, "create_study", ["name": "h", "space": space, "goal": ["metric": "loss"], "strategy": "agent"])?
                .contains("unknown strategy 'agent'") == true)
            // Narrowing a study's space would orphan its trials: refused, nothing lost.
            _ = try toolbox.call("create_study", ["name": "g", "space": space, "goal": ["metric": "loss"]])
            let trial = try #require(try toolbox.call("ask", ["study": "g"]).json["trials"]?.arrayValue?.first)
            _ = try toolbox.call("tell", ["study": "g", "number": trial["number"]!, "metrics": ["loss": 1]])
            let narrowed: JSONValue = ["x": ["distribution": "uniform", "low": 0, "high": 0.5]]
            #expect(failure(toolbox, "create_study", ["name": "g", "space": narrowed, "goal": ["metric": "loss"]]) != nil)
            #expect(try toolbox.call("trials", ["study": "g"]).json["total"] == 1)
            #expect(failure(toolbox, "add_trial", ["study": "g", "params": ["x": 2, "k": 1], "metrics": ["loss": 1]])?
                .contains("'x' is 2, outside uniform(0.0, 1.0)") == true)
            #expect(failure(toolbox, "add_trial", ["study": "g", "params": ["x": 0.5, "k": 1, "z": 0], "metrics": ["loss": 1]])?
                .contains("unknown parameter 'z'") == true)
            let added = try toolbox.call("add_trial", ["study": "g", "params": ["x": 0.25, "k": 2], "metrics": ["loss": 0.1]]).json
            #expect(added["status"] == "complete" && added["number"] == 1)
            #expect(try toolbox.call("best", ["study": "g"]).json["number"] == 1)
        }
    }

    @Test func aConditionalParameterMayComeBeforeItsParentInAnObject() throws {
        try withToolbox { toolbox, _ in
            // Sorted by name, "dropout" would precede the "layers" its condition names.
            let space: JSONValue = ["layers": ["distribution": "integers", "low": 1, "high": 3],
                                    "dropout": ["distribution": "uniform", "low": 0, "high": 0.5,
                                                "when": ["parameter": "layers", "op": ">", "value": 1]]]
            _ = try toolbox.call("create_study", ["name": "cond", "space": space, "goal": ["metric": "loss"], "strategy": "random"])
            let asked = try toolbox.call("ask", ["study": "cond", "n": 8]).json["trials"]?.arrayValue ?? []
            #expect(asked.count == 8)
            for t in asked {
                let layers = try #require(t["params"]?["layers"]?.intValue)
                #expect((t["params"]?["dropout"] != nil) == (layers > 1), "\(t.serialized())")
            }
            #expect(failure(toolbox, "tell", ["study": "cond", "number": 0, "status": "diverged", "error": "loss is nan"]) == nil)
            #expect(try toolbox.call("trials", ["study": "cond", "status": "diverged"]).json["total"] == 1)
            // A report path of the client's choice needs --allow-write.
            #expect(failure(toolbox, "report", ["study": "cond", "path": "r.html"])?.contains("--allow-write") == true)
        }
        try withToolbox(grants: Toolbox.Grants(write: true)) { toolbox, scratch in
            _ = try toolbox.call("create_study", ["name": "w", "space": space, "goal": ["metric": "loss"]])
            #expect(failure(toolbox, "report", ["study": "w", "path": "/etc/looplab.html"])?.contains("under the project directory") == true)
            #expect(failure(toolbox, "report", ["study": "w", "path": ".looplab/x.html"]) != nil)
            let written = try toolbox.call("report", ["study": "w", "path": "out/r.html"]).json
            #expect(written["path"] == .string(scratch.directory.path + "/out/r.html"))
            #expect(FileManager.default.fileExists(atPath: scratch.directory.path + "/out/r.html"))
        }
    }

    @Test func trialsLeftUntoldAreInterruptedWhenTheServerCloses() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let toolbox = Toolbox(settings: HostSettings(storePath: scratch.path), projectDirectory: scratch.directory.path)
        _ = try toolbox.call("create_study", ["name": "c", "space": space, "goal": ["metric": "loss"]])
        _ = try toolbox.call("ask", ["study": "c", "n": 2])
        toolbox.close()
        let store = try Store.open(scratch.path, projectDirectory: scratch.directory)
        defer { try? store.close() }
        let study = try #require(try store.study(named: "c"))
        let states = try store.trials(studyID: study.id).map(\.state)
        #expect(states == [.interrupted, .interrupted])
    }

    @Test func runLoopGrantsFollowTheServersFlags() throws {
        try withToolbox(grants: Toolbox.Grants(exec: true, write: true)) { toolbox, scratch in
            let ran = try toolbox.runLoop(["code": "exec([\"echo\", \"hi\"]).output"]).json
            #expect(ran["value"] == "hi" && ran["error"] == .null)
            let path = scratch.directory.appendingPathComponent("note.txt").path
            _ = try toolbox.runLoop(["code": .string("write_file(\(loopString(path)), \"written\")")])
            #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "written")
            // Never the store's own files, whatever the grant.
            let lock = try toolbox.runLoop(["code": "write_file(\".looplab/looplab.db\", \"x\")"]).json
            #expect(lock["error"]?.stringValue?.contains("permission denied") == true)
            #expect(try toolbox.runLoop(["code": "1 +"]).json["error"]?.stringValue?.contains("error") == true)
        }
        try withToolbox { toolbox, _ in
            let denied = try toolbox.runLoop(["code": "agent(\"python3 x.py\")"]).json
            #expect(denied["error"]?.stringValue?.contains("may not run 'python3'") == true)
            do throws(Toolbox.Failure) { _ = try toolbox.runLoop(["code": "1", "timeout_seconds": -1]); Issue.record("accepted") } catch {
                #expect(error.message.contains("timeout_seconds must be in (0, 3600]"))
            }
        }
    }

    @Test func resourcesAreStudiesAndDocs() throws {
        try withToolbox { toolbox, _ in
            _ = try toolbox.call("create_study", ["name": "a b/c", "space": space, "goal": ["metric": "loss"]])
            let uris = try toolbox.resources().map(\.uri)
            #expect(uris.contains("looplab://study/a%20b%2Fc") && uris.contains("looplab://docs/language"))
            #expect(try toolbox.readResource("looplab://study/a%20b%2Fc").text.contains("\"name\": \"a b/c\""))
            #expect(try toolbox.readResource("looplab://docs/language").text.contains("#"))
            for uri in ["looplab://docs/../README", "looplab://docs/", "file:///etc/passwd", "looplab://study/none"] {
                #expect(throws: Toolbox.Failure.self, "\(uri)") { try toolbox.readResource(uri) }
            }
        }
    }
}
