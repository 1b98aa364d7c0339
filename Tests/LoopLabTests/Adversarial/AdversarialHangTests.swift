import Foundation
import Testing

/// Issue 11, "Hangs": each case once ran for minutes or for ever. The timeouts here are far above
/// what the fixed code needs (well under a second unloaded), so a loaded machine does not fail
/// them, and far below what the hangs took.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct AdversarialHangTests {
    /// 40 levels: the old compiler took over 30 s at 25 (it doubled per level).
    static let depth = 40

    static let nestedCalls: [(String, String)] = [
        (String(repeating: "abs(", count: depth) + "-1" + String(repeating: ")", count: depth), "1"),
        ("fn f(x) { x + 1 }\nprint(" + String(repeating: "f(", count: depth) + "0" + String(repeating: ")", count: depth) + ")", "\(depth)"),
        ("fn f(x) { x + 1 }\nprint(0" + String(repeating: " |> f", count: 400) + ")", "400"),
        ("fn g(a, b) { a + b }\nprint(" + String(repeating: "g(1, ", count: depth) + "0" + String(repeating: ")", count: depth) + ")", "\(depth)"),
    ]

    @Test(arguments: nestedCalls)
    func nestedCallsCompileInLinearTime(_ code: String, _ expected: String) throws {
        let program = code.hasPrefix("abs(") ? "print(\(code))" : code
        let r = try evaluate(program, timeout: 20)
        #expect(r.status == 0 && r.stdout == expected + "\n", "\(r)")
    }

    @Test func aTarRootEntryWithANegativeSizeDoesNotLoop() throws {
        let m = try Machine()
        defer { m.remove() }
        var tar = TarBuilder()
        // -1024: the old reader stepped back to this same header for ever.
        tar.add("./", type: "5", size: "-0000002000")
        tar.add("skills.toml", manifest("t", entry: ["t.loop"]))
        let archive = m.root.appendingPathComponent("root.looppack")
        try tar.write(to: archive)
        let r = try m.install(archive.path, timeout: 20)
        #expect(r.isError("archive is corrupt (bad size field in the header at byte 0)"), "\(r)")
    }

    static let model = "let data = text_data(\"abcabcabc\\n\" * 20)\nlet model = gpt(vocab: data, ctx: 8, dim: 8, layers: 1, heads: 2)\n"

    @Test func generateCapsMaxLenAndStopsAtCtrlC() throws {
        let capped = try evaluate(Self.model + "generate(model, max_len: 100000000)")
        #expect(capped.isError("generate: max_len must be at most 1000000 characters, got 100000000"), "\(capped)")
        // A million characters take minutes; Ctrl-C stops them at once, and is catchable.
        let r = try evaluate(Self.model + "print(\"start\")\nlet s = try { generate(model, max_len: 1000000) } catch e { e.kind }\nprint(s)",
                             timeout: 60, interruptAfter: 2)
        #expect(r.status == 0 && r.stdout == "start\ninterrupted\n" && r.seconds < 30, "\(r)")
    }

    @Test func execDoesNotWaitForBackgroundJobs() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try evaluate("let r = exec(\"sleep 100 & echo hi\")\nprint(r.status, r.output)", in: dir,
                             environment: ["LOOPLAB_STORE": dir.appendingPathComponent("s.db").path], timeout: 60)
        #expect(r.status == 0 && r.stdout == "ok hi\n" && r.seconds < 30, "\(r)")
    }

    @Test func threadsAreCappedAtTheCPUs() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Training starts the pool; the command then counts the looplab process's threads.
        let code = "let d = dataset(\"xor\", n: 64)\ntrain(mlp(d, hidden: [4]), d, epochs: 1, progress: false)\n"
            + "print(int(exec(\"ls /proc/$PPID/task | wc -l\").output) <= \(ProcessInfo.processInfo.activeProcessorCount) + 8)"
        let r = try evaluate(code, in: dir, environment: ["LOOPLAB_THREADS": "100000", "LOOPLAB_STORE": dir.appendingPathComponent("s.db").path])
        #expect(r.status == 0 && r.stdout == "true\n", "\(r)")
        #expect(r.stderr.contains("LOOPLAB_THREADS=100000 is more than the \(ProcessInfo.processInfo.activeProcessorCount) CPUs here"), "\(r)")
    }
}
