import LoopLab
import Testing

/// The command line, then the environment, read once into a value.
struct HostSettingsTests {
    @Test func theCommandLineThenTheEnvironment() {
        let env: [String: String] = ["LOOPLAB_STORE": "/data/x.db", "LOOPLAB_YES": "1"]
        let fromEnvironment = HostSettings.fromEnvironment { env[$0] }
        #expect(fromEnvironment == HostSettings(storePath: "/data/x.db", assumeYes: true))
        #expect(fromEnvironment.overridden(storePath: "runs/y.db", assumeYes: false) == HostSettings(storePath: "runs/y.db", assumeYes: true))
        #expect(fromEnvironment.overridden(storePath: "", assumeYes: false).storePath == "/data/x.db")
        let empty = HostSettings.fromEnvironment { ["LOOPLAB_STORE": "", "LOOPLAB_YES": "0"][$0] }
        #expect(empty == HostSettings(storePath: nil, assumeYes: false))
        #expect(empty.overridden(storePath: nil, assumeYes: true).assumeYes)
    }

    /// `looplab run --store` reaches the script's store without touching the environment its
    /// children see: an `exec` child does not inherit a LOOPLAB_STORE the flag set.
    @Test func runPassesTheStoreAsAValue() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let script = store.directory.appendingPathComponent("s.loop")
        try """
        remember(flag_store: 1)
        print(exec(["sh", "-c", "echo ${LOOPLAB_STORE:-unset}"]).output.trim())
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try runLooplab(["run", "--store", store.path, script.path])
        #expect(r.status == 0 && r.stdout == "unset\n", "\(r.stderr)")
        #expect(try store.run("print(recall(\"flag_store\").count > 0)") == "true\n")
    }
}
