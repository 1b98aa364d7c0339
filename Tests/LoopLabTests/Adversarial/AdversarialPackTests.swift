import Foundation
import Testing

/// Issue 11, "Packs that get more than they were granted": each hostile pack is built by the test
/// and installed and run through the real binary.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct AdversarialPackTests {
    /// A pack granted `exec = ["echo"]` whose skill runs whatever command it is given.
    static func runner(_ m: Machine, name: String = "runner", permissions: String = "exec = [\"echo\"]") throws -> URL {
        try m.makePack(name, [
            "skills.toml": manifest(name, entry: ["\(name).loop"], permissions: permissions),
            "\(name).loop": "skill \(name)(cmd, env = nil) \"Runs cmd.\" { exec(cmd, env: env).output }\n",
        ])
    }

    // MARK: 1. two manifests in one archive; grants bound to the locked identity

    @Test func twoSpellingsOfTheManifestInOneArchiveAreRefused() throws {
        let m = try Machine()
        defer { m.remove() }
        #expect(try m.install(try Self.runner(m, name: "victim").path).status == 0)
        var tar = TarBuilder()
        tar.add("skills.toml", manifest("evil", entry: ["evil.loop"]))
        tar.add("./skills.toml", manifest("victim", entry: ["evil.loop"], permissions: "exec = true"))
        tar.add("evil.loop", "skill evil() \"x\" { exec(\"touch owned\") }\n")
        let archive = m.root.appendingPathComponent("evil.looppack")
        try tar.write(to: archive)
        let r = try m.install(archive.path)
        #expect(r.isError("archive entry './skills.toml' names 'skills.toml', which the archive already holds"), "\(r)")
        #expect(!m.exists(".looplab/packs/evil"))
    }

    @Test func aManifestOnDiskCannotClaimAnotherPacksNameOrGrants() throws {
        let m = try Machine()
        defer { m.remove() }
        #expect(try m.install(try Self.runner(m, name: "victim").path).status == 0)
        let plain = try m.makePack("plain", ["skills.toml": manifest("plain", entry: ["plain.loop"]),
                                             "plain.loop": "skill plain() \"p\" { 1 }\n"])
        #expect(try m.install(plain.path).status == 0)
        // After install, plain's files are rewritten to claim victim's name and run a command.
        try m.write(".looplab/packs/plain/skills.toml", manifest("victim", entry: ["plain.loop"]))
        try m.write(".looplab/packs/plain/plain.loop", "skill plain() \"p\" { exec(\"touch owned\").status }\n")
        let r = try m.runScript("use \"victim/plain\"\nprint(plain())\n")
        #expect(r.isStaticError("cannot find 'victim/plain'"), "\(r)")
        #expect(!m.exists("owned"))
    }

    @Test func aPackWhoseFilesChangedAfterInstallRunsWithNoPermissions() throws {
        let m = try Machine()
        defer { m.remove() }
        #expect(try m.install(try Self.runner(m, name: "victim").path).status == 0)
        #expect(try m.runScript("use \"victim\"\nprint(victim([\"echo\", \"granted\"]))\n").stdout == "granted\n")
        try m.write(".looplab/packs/victim/victim.loop", "skill victim(cmd, env = nil) \"x\" { exec([\"echo\", \"changed\"]).output }\n")
        let r = try m.runScript("use \"victim\"\nprint(victim(nil))\n")
        #expect(r.isError("its files changed since it was installed, so it runs with none"), "\(r)")
    }

    // MARK: 2. the exec allow-list

    @Test(arguments: ["echo hi; touch owned", "echo hi && touch owned", "echo hi | touch owned", "echo $(touch owned)",
                      "echo `touch owned`", "echo hi\ntouch owned", "echo hi > owned", "echo hi & touch owned"])
    func aListGrantRunsNoShell(_ command: String) throws {
        let m = try Machine()
        defer { m.remove() }
        #expect(try m.install(try Self.runner(m).path).status == 0)
        let literal = loopString(command).replacingOccurrences(of: "\n", with: "\\n")
        let r = try m.runScript("use \"runner\"\nprint(runner(\(literal)))\n")
        #expect(r.isError("permission denied: skill runner (pack runner) may not run"), "\(r)")
        #expect(r.stderr.contains("not a shell"), "\(r)")
        #expect(!m.exists("owned"))
    }

    @Test func aListGrantRunsPlainCommandsAndArgvAsTheGrantedFile() throws {
        let m = try Machine()
        defer { m.remove() }
        #expect(try m.install(try Self.runner(m).path).status == 0)
        let lock = try String(contentsOf: m.project.appendingPathComponent("skills.lock"), encoding: .utf8)
        #expect(lock.contains("[pack.permissions.programs]") && lock.contains("echo = \"/"), "\(lock)")
        // A different `echo` first on PATH at run time is not what was granted.
        let fake = m.root.appendingPathComponent("fakebin")
        try FileManager.default.createDirectory(at: fake, withIntermediateDirectories: true)
        let script = fake.appendingPathComponent("echo")
        try "#!/bin/sh\ntouch \(m.project.path)/owned\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let path = fake.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try m.runScript("use \"runner\"\nprint(runner(\"echo 'a b' c\"))\nprint(runner([\"echo\", \"argv\"]))\n",
                                environment: ["PATH": path])
        #expect(r.status == 0 && r.stdout == "a b c\nargv\n", "\(r)")
        #expect(!m.exists("owned"))
    }

    @Test func aPacksOwnTestsRunItsGrantedPrograms() throws {
        let m = try Machine()
        defer { m.remove() }
        let pack = try m.makePack("tested", [
            "skills.toml": "name = \"tested\"\nversion = \"1.0.0\"\nentry = [\"tested.loop\"]\ntests = [\"t.loop\"]\n"
                + "[permissions]\nexec = [\"echo\"]\n",
            "tested.loop": "skill tested() \"t\" { exec([\"echo\", \"ok\"]).output }\n",
            "t.loop": "use \"tested\"\nassert(tested() == \"ok\", \"echo ran\")\n",
        ])
        let r = try looplab(["skill", "test", pack.path], in: m.project, environment: m.environment)
        #expect(r.status == 0 && r.stdout.contains("ok  t.loop"), "\(r)")
        #expect(try m.install(pack.path).status == 0)
    }

    @Test(arguments: ["PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV"])
    func aListGrantMayNotSetLoaderVariables(_ variable: String) throws {
        let m = try Machine()
        defer { m.remove() }
        #expect(try m.install(try Self.runner(m).path).status == 0)
        let r = try m.runScript("use \"runner\"\nprint(runner([\"echo\", \"hi\"], env: {\(variable): \"/tmp/evil\"}))\n")
        #expect(r.isError("may not set \(variable) for 'echo'"), "\(r)")
    }

    // MARK: 3. the policy

    @Test func aPackCannotSwitchThePolicyOff() throws {
        let m = try Machine()
        defer { m.remove() }
        let pack = try m.makePack("quiet", ["skills.toml": manifest("quiet", entry: ["quiet.loop"]),
                                            "quiet.loop": "skill quiet() \"q\" { policy {confirm: []} }\n"])
        #expect(try m.install(pack.path).status == 0)
        try m.write(".looplab/policy.toml", "confirm = [\"exec\"]\n")
        let r = try m.runScript("use \"quiet\"\nquiet()\nprint(exec(\"echo ran\").output)\n")
        #expect(r.isError("the policy requires confirming exec and there is no terminal to ask"), "\(r)")
        #expect(!r.stdout.contains("ran"))
    }

    // MARK: 4. use and built-ins

    @Test(arguments: ["assert", "policy", "remember"])
    func usingAPackNeverReplacesABuiltIn(_ name: String) throws {
        let m = try Machine()
        defer { m.remove() }
        let pack = try m.makePack("shadow", ["skills.toml": manifest("shadow", entry: ["shadow.loop"]),
                                             "shadow.loop": "fn \(name)(a = nil, b = nil) { nil }\nskill shadow() \"s\" { 1 }\n"])
        #expect(try m.install(pack.path).status == 0)
        let r = try m.runScript("use \"shadow\"\nassert(false, \"still checked\")\n")
        #expect(r.isStaticError("use \"shadow\" would replace the built-in \(name) with its own '\(name)'"), "\(r)")
        let aliased = try m.runScript("use \"shadow\" as p\nprint(p.shadow())\nassert(false, \"still checked\")\n")
        #expect(aliased.isError("assertion failed: still checked") && aliased.stdout == "1\n", "\(aliased)")
    }

    // MARK: 5. read, store, the environment, real paths

    static let reach: [(String, String)] = [
        ("read_file(\"/etc/hostname\")", "may not read '/etc/hostname'"),
        ("load_csv(\"../outside.csv\")", "may not read '../outside.csv'"),
        ("env(\"HOME\")", "may not read the environment variable HOME"),
        ("remember(best_lr: 999)", "may not write to the project store (remember)"),
        ("remember(\"a note\")", "may not write to the project store (remember)"),
        ("study(\"s\", space: space {x: uniform(0, 1)})", "may not write to the project store (study)"),
        ("let d = split(dataset(\"xor\"))\nfinal_eval(mlp(d, hidden: [4]), d.test)", "may not write to the project store (final_eval)"),
        ("promote(mlp(in: 2, out: 2), as: \"m\", metrics: {acc: 1})", "may not write to the project store (promote)"),
        ("rollback(\"m\")", "may not write to the project store (rollback)"),
    ]

    @Test(arguments: reach)
    func aPackWithoutPermissionsReachesNothing(_ code: String, _ denial: String) throws {
        let m = try Machine()
        defer { m.remove() }
        let body = code.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")
        let pack = try m.makePack("nosy", ["skills.toml": manifest("nosy", entry: ["nosy.loop"]),
                                           "nosy.loop": "skill nosy() \"n\" {\n\(body)\n}\n"])
        #expect(try m.install(pack.path).status == 0)
        let r = try m.runScript("remember(best_lr: 0.01)\nuse \"nosy\"\nnosy()\n")
        #expect(r.isError("permission denied: skill nosy (pack nosy) \(denial)"), "\(r)")
        let after = try m.runScript("print(recall(\"best_lr\")[0].value, versions(\"m\").count)\n")
        #expect(after.stdout == "0.01 0\n", "\(after)")
    }

    @Test func readAndStoreAreGrantedWhenDeclaredAndShownAtInstall() throws {
        let m = try Machine()
        defer { m.remove() }
        try m.write("data/x.txt", "inside")
        let pack = try m.makePack("reader", [
            "skills.toml": manifest("reader", entry: ["reader.loop"], permissions: "read = [\"data/\", \"$LOOPLAB_AUTHOR\"]\nstore = true"),
            "notes.txt": "its own file",
            "reader.loop": """
            skill reader(own) "r" {
              remember(seen: read_file("data/x.txt"))
              [read_file(own), env("LOOPLAB_AUTHOR"), recall("seen")[0].value]
            }
            """,
        ])
        let refused = try m.install(pack.path, yes: false)
        #expect(refused.status == 1 && refused.stdout.contains("- read files under data/")
                && refused.stdout.contains("- read the environment variable LOOPLAB_AUTHOR")
                && refused.stdout.contains("- write to the project store"), "\(refused)")
        #expect(try m.install(pack.path).status == 0)
        let r = try m.runScript("use \"reader\"\nprint(reader(\".looplab/packs/reader/notes.txt\"))\n")
        #expect(r.status == 0 && r.stdout == "[\"its own file\", \"ada\", \"inside\"]\n", "\(r)")
    }

    @Test func aSymbolicLinkUnderAGrantedPrefixDoesNotLeadOutOfIt() throws {
        let m = try Machine()
        defer { m.remove() }
        let outside = m.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: m.project.appendingPathComponent("results"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: m.project.appendingPathComponent("results/link"), withDestinationURL: outside)
        let pack = try m.makePack("writer", [
            "skills.toml": manifest("writer", entry: ["writer.loop"], permissions: "write = [\"results/\"]"),
            "writer.loop": "skill writer(path) \"w\" { write_file(path, \"x\") }\n",
        ])
        #expect(try m.install(pack.path).status == 0)
        #expect(try m.runScript("use \"writer\"\nwriter(\"results/fine.txt\")\n").status == 0)
        let r = try m.runScript("use \"writer\"\nwriter(\"results/link/escaped.txt\")\n")
        #expect(r.isError("may not write 'results/link/escaped.txt'"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("escaped.txt").path))
        let lock = try m.runScript("use \"writer\"\nwriter(\"results/../skills.lock\")\n")
        #expect(lock.isError("may not write 'results/../skills.lock'"), "\(lock)")
    }

    // MARK: 6. empty write prefixes

    @Test func anEmptyWritePrefixIsRefused() throws {
        let m = try Machine()
        defer { m.remove() }
        let pack = try m.makePack("wide", ["skills.toml": manifest("wide", entry: ["wide.loop"], permissions: "write = [\"\"]"),
                                           "wide.loop": "skill wide() \"w\" { 1 }\n"])
        let r = try m.install(pack.path)
        #expect(r.isError("write: an empty prefix is not allowed (write \".\" to mean the whole project)"), "\(r)")
        let whole = try m.makePack("whole", ["skills.toml": manifest("whole", entry: ["whole.loop"], permissions: "write = [\".\"]"),
                                             "whole.loop": "skill whole() \"w\" { 1 }\n"])
        let shown = try m.install(whole.path, yes: false)
        #expect(shown.stdout.contains("- write anywhere in the project (except skills.lock and .looplab)"), "\(shown)")
    }
}
