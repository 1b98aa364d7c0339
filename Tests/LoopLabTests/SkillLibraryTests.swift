import Foundation
import LoopLab
import LoopLang
import Testing

/// A confirmer that answers as told and remembers what it was asked.
final class ScriptedConfirmer: Confirmer {
    let answer: Bool?
    private(set) var questions: [String] = []
    init(_ answer: Bool?) { self.answer = answer }
    func confirm(_ question: String) -> Bool? {
        questions.append(question)
        return answer
    }
}

/// One researcher's machine: a project directory, a user skill library and a store, all temporary.
struct Machine {
    let root: URL
    var project: URL { root.appendingPathComponent("project") }
    var userLibrary: URL { root.appendingPathComponent("data/looplab/skills") }
    var store: URL { root.appendingPathComponent("project/.looplab/looplab.db") }
    /// What the binary needs to see this machine (its HOME and XDG directories).
    var environment: [String: String] {
        ["HOME": root.path, "XDG_DATA_HOME": root.appendingPathComponent("data").path,
         "XDG_STATE_HOME": root.appendingPathComponent("state").path, "LOOPLAB_STORE": store.path, "LOOPLAB_AUTHOR": "ada"]
    }

    init() throws {
        root = try makeTemporaryDirectory()
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func write(_ relativePath: String, _ text: String) throws {
        let url = project.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Runs `.loop` code in-process as a script of this project; gives its output or its error.
    func run(_ code: String, confirmer: any Confirmer = ScriptedConfirmer(nil)) -> Result<String, LoopError> {
        Interpreter.onLargeStack {
            let output = CapturedOutput()
            let registry = LoopLab.makeRegistry(arguments: [], storePath: store.path,
                                                stdlibDirectory: repositoryRoot.appendingPathComponent("stdlib").path,
                                                projectDirectory: project.path, userLibrary: userLibrary.path, confirmer: confirmer)
            let interpreter = Interpreter(registry: registry, output: output,
                                          stdlibDirectory: repositoryRoot.appendingPathComponent("stdlib").path,
                                          projectDirectory: project.path)
            defer { LoopLab.finish(interpreter) }
            do throws(LoopError) {
                try interpreter.run(SourceFile(name: "main.loop", text: code, path: project.appendingPathComponent("main.loop").path))
                return .success(output.text)
            } catch {
                return .failure(error)
            }
        }
    }

    func tooling(_ confirmer: any Confirmer = ScriptedConfirmer(true)) -> PackTooling {
        PackTooling(projectDirectory: project.path, confirmer: confirmer, log: { _ in })
    }
}

extension Result where Success == String, Failure == LoopError {
    var text: String {
        switch self {
        case .success(let s): return s
        case .failure(let e): return "error(\(e.kind)): \(e.message)"
        }
    }
}

@Suite struct SkillLibraryTests {
    static let meanSkill = """
    fn twice(x) { x * 2 }
    skill double_mean(xs) "Twice the mean of xs." { twice(mean(xs)) }
    """

    @Test func savedSkillsAreVersionedAndResolvedByRequirement() throws {
        let m = try Machine()
        defer { m.remove() }
        #expect(m.run(Self.meanSkill + "\nprint(save_skill(double_mean).version)").text == "1.0.0\n")
        #expect(m.run(Self.meanSkill + "\nprint(save_skill(double_mean).status)").text == "unchanged\n")
        // A body change is a patch; a new parameter with a default a minor; a new required one a major.
        let patched = "fn twice(x) { x * 2 }\nskill double_mean(xs) \"Twice the mean of xs.\" { twice(mean(xs)) + 0 }"
        let minor = "fn twice(x) { x * 2 }\nskill double_mean(xs, k = 1) \"Twice the mean of xs, times k.\" { twice(mean(xs)) * k }"
        let major = "skill double_mean(xs, k) \"k times the mean.\" { mean(xs) * k }"
        #expect(m.run(patched + "\nprint(save_skill(double_mean).version)").text == "1.0.1\n")
        #expect(m.run(minor + "\nprint(save_skill(double_mean).version)").text == "1.1.0\n")
        #expect(m.run(major + "\nprint(save_skill(double_mean).version)").text == "2.0.0\n")
        // Highest compatible version wins; old versions stay loadable.
        #expect(m.run("use \"double_mean@~1.0\"\nprint(double_mean([1, 3]))").text == "4.0\n")
        #expect(m.run("use \"double_mean@^1\"\nprint(double_mean([1, 3], k: 3))").text == "12.0\n")
        #expect(m.run("use \"double_mean\"\nprint(double_mean([1, 3], 5))").text == "10.0\n")
        let info = m.run("let i = skill_info(\"double_mean@^1\")\nprint(i.version, i.signature, i.versions.count, i.versions[1].date.count)").text
        #expect(info == "1.1.0 double_mean(xs, k = ...) 4 20\n")
        #expect(m.run("use \"double_mean@^3\"").text.contains("available: 1.0.0, 1.0.1, 1.1.0, 2.0.0"))
    }

    @Test func aSkillSavedInOneProcessRunsInAnother() throws {
        let m = try Machine()
        defer { m.remove() }
        try m.write("define.loop", Self.meanSkill + "\nprint(save_skill(double_mean).version)\n")
        try m.write("use.loop", "use \"double_mean@^1\"\nprint(double_mean([2, 4]))\nprint(find_skills(\"twice mean\")[0].name)\n"
                    + "print(skill_info(\"double_mean\").versions[0].author)\n")
        let define = try runLooplab(["run", "define.loop"], directory: m.project, environment: m.environment)
        #expect(define.status == 0, "\(define.stderr)")
        #expect(define.stdout == "1.0.0\n")
        let use = try runLooplab(["run", "use.loop"], directory: m.project, environment: m.environment)
        #expect(use.stdout == "6.0\ndouble_mean\nada\n", "\(use.stderr)")
    }

    @Test func missingNamesAndSkillsThatDoNotStandAloneAreClearErrors() throws {
        let m = try Machine()
        defer { m.remove() }
        _ = m.run(Self.meanSkill + "\nsave_skill(double_mean)")
        let missing = m.run("use \"duble_mean\"").text
        #expect(missing.contains("duble_mean") && missing.contains("double_mean"), "\(missing)")
        #expect(m.run("let scale = 3\nskill s(x) \"scaled\" { x * scale }\nsave_skill(s)").text.contains("uses 'scale'"))
        #expect(m.run("fn f() { 1 }\nsave_skill(f)").text.contains("is a fn, not a skill"))
        #expect(m.run("skill s(x) \"d\" { x }\nsave_skill(s, version: \"one\")").text.contains("not a semantic version"))
    }

    @Test func skillsRecordTheTrialsTheyRanInAsEvidence() throws {
        let m = try Machine()
        defer { m.remove() }
        let code = """
        skill score(x) "A toy objective." { -(x - 3) ** 2 }
        let st = study("toy", space: space {x: uniform(0, 6)}, goal: maximize("score"), strategy: "random", seed: 1, max_trials: 3)
        for t in st { remember(t, {score: score(t.x)}) }
        let saved = save_skill(score)
        print(skill_info("score").evidence.count, skill_info("score").evidence[0].study)
        """
        #expect(m.run(code).text == "3 toy\n")
    }

    @Test func packsTravelBetweenMachinesAndTamperedArchivesAreRefused() throws {
        let alice = try Machine(), bob = try Machine(), carol = try Machine()
        defer { alice.remove(); bob.remove(); carol.remove() }
        // Alice makes a pack, tests it, packs it.
        let dir = try PackScaffold.create(name: "tricks", in: alice.project.path)
        try "# version: 0.1.0\nskill tricks(xs, scale = 1) \"Sum times scale.\" { sum(xs) * scale }\n"
            .write(toFile: dir + "/tricks.loop", atomically: true, encoding: .utf8)
        try "use \"tricks\"\nassert(tricks([1, 2]) == 3, \"sum\")\n".write(toFile: dir + "/tests/tricks_test.loop", atomically: true, encoding: .utf8)
        let (archive, sha) = try alice.tooling().pack(directory: dir, outputDirectory: alice.root.path)
        #expect(archive.hasSuffix("tricks-0.1.0.looppack"))
        // Bob installs the archive pinned to Alice's hash, and gets Alice's result.
        try bob.tooling().install(archive, sha256: sha)
        #expect(bob.run("use \"tricks\"\nprint(tricks([1, 2, 3], scale: 2))").text == "12\n")
        // Carol reproduces Bob's library from his lock file alone.
        try FileManager.default.copyItem(at: bob.project.appendingPathComponent("skills.lock"),
                                         to: carol.project.appendingPathComponent("skills.lock"))
        #expect(try carol.tooling().installLocked().map(\.sha256) == [sha])
        #expect(carol.run("use \"tricks/tricks@0.1\"\nprint(tricks([4]))").text == "4\n")
        // Someone edits the archive: the lock (and --sha256) refuse it, and nothing changes.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        let marker = try #require(bytes.range(of: Data("sum(xs) * scale".utf8)))
        bytes.replaceSubrange(marker, with: Data("sum(xs) + scale".utf8))
        try bytes.write(to: URL(fileURLWithPath: archive))
        #expect(throws: PackTooling.Failure.self) { try carol.tooling().installLocked() }
        #expect(throws: PackTooling.Failure.self) { try alice.tooling().install(archive, sha256: sha) }
        #expect(carol.run("use \"tricks\"\nprint(tricks([1], scale: 5))").text == "5\n")
    }

    @Test func aPackWhoseTestsFailIsNotInstalled() throws {
        let m = try Machine()
        defer { m.remove() }
        let dir = try PackScaffold.create(name: "broken", in: m.root.path)
        try "use \"broken\"\nassert(broken([1, 2, 3]) == 99, \"wrong on purpose\")\n"
            .write(toFile: dir + "/tests/broken_test.loop", atomically: true, encoding: .utf8)
        #expect { try m.tooling().install(dir) } throws: { error in
            "\(error)".contains("wrong on purpose")
        }
        #expect(try m.tooling().installed().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: m.project.appendingPathComponent("skills.lock").path))
    }

    /// A pack that may run `echo`, and one with no permissions that calls it.
    func installRunnerAndSneaky(_ m: Machine) throws {
        let runner = try PackScaffold.create(name: "runner", in: m.root.path)
        try "skill runner(cmd) \"Runs cmd.\" { exec(cmd).status }\n".write(toFile: runner + "/runner.loop", atomically: true, encoding: .utf8)
        try "use \"runner\"\nassert(runner(\"echo ok\") == \"ok\", \"echo runs\")\n"
            .write(toFile: runner + "/tests/runner_test.loop", atomically: true, encoding: .utf8)
        let manifest = try String(contentsOfFile: runner + "/skills.toml", encoding: .utf8)
        try manifest.replacingOccurrences(of: "exec = false", with: "exec = [\"echo\"]")
            .write(toFile: runner + "/skills.toml", atomically: true, encoding: .utf8)
        let asked = ScriptedConfirmer(true)
        try m.tooling(asked).install(runner)
        #expect(asked.questions.count == 1)
        #expect(throws: PackTooling.Failure.self) { try m.tooling(ScriptedConfirmer(nil)).install(runner) }

        let sneaky = try PackScaffold.create(name: "sneaky", in: m.root.path)
        try "use \"runner\"\nskill sneaky(cmd) \"Runs cmd through runner.\" { runner(cmd) }\n"
            .write(toFile: sneaky + "/sneaky.loop", atomically: true, encoding: .utf8)
        try "use \"sneaky\"\ntry { sneaky(\"echo hi\") } catch e { assert(e.kind == \"permission\", e.message) }\n"
            .write(toFile: sneaky + "/tests/sneaky_test.loop", atomically: true, encoding: .utf8)
        try m.tooling().install(sneaky)
    }

    @Test func aSkillRunsOnlyWithThePermissionsItsPackWasGranted() throws {
        let m = try Machine()
        defer { m.remove() }
        try installRunnerAndSneaky(m)
        #expect(m.run("use \"runner\"\nprint(runner(\"echo hi\"))").text == "ok\n")
        let other = m.run("use \"runner\"\nrunner(\"ls\")")
        #expect(other.text.contains("error(permission): permission denied: skill runner (pack runner) may not run 'ls'"))
        // Through another skill that lacks the permission: denied, even though runner has it.
        let through = m.run("use \"sneaky\"\nsneaky(\"echo hi\")")
        #expect(through.text.contains("permission denied: skill sneaky (pack sneaky) may not run 'echo'"))
        // Using a pack restricts only the pack's code: the script itself still writes where it likes.
        let note = loopString(m.project.appendingPathComponent("note.txt").path)
        let write = m.run("use \"sneaky\"\nwrite_file(\(note), \"mine\")\nprint(read_file(\(note)))")
        #expect(write.text == "mine\n")
    }

    @Test func thePolicyAsksBeforeExecAndRefusesWithoutAnyoneToAsk() throws {
        let m = try Machine()
        defer { m.remove() }
        let code = "policy {confirm: [\"exec\"]}\nprint(exec(\"echo hi\").status)"
        #expect(m.run(code, confirmer: ScriptedConfirmer(nil)).text.contains("no terminal to ask"))
        #expect(m.run(code, confirmer: ScriptedConfirmer(false)).text.contains("refused: exec was not confirmed"))
        let yes = ScriptedConfirmer(true)
        #expect(m.run(code, confirmer: yes).text == "ok\n")
        #expect(yes.questions == ["policy: allow running 'echo'?"])
        try m.write(".looplab/policy.toml", "confirm = [\"promote\"]\n")
        let promote = "let st = study(\"p\", space: space {x: uniform(0, 1)}, goal: maximize(\"v\"), max_trials: 1)\n"
            + "var last = nil\nfor t in st { remember(t, {v: t.x})\n attach(t, mlp(in: 1, hidden: [2], out: 1))\n last = t }\npromote(last, as: \"m\")"
        #expect(m.run(promote, confirmer: ScriptedConfirmer(nil)).text.contains("requires confirming promote"))
        try m.write(".looplab/policy.toml", "confirm = [\"launch\"]\n")
        #expect(m.run("exec(\"echo\")").text.contains("policy.toml:1: confirm: unknown action"))
        #expect(m.run("policy {confirm: [\"fly\"]}").text.contains("policy: cannot confirm \"fly\""))
    }

    static let gitAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/git")

    @Test(.enabled(if: gitAvailable, "git is not installed"))
    func packsInstallFromAGitURLAndTheLockRemembersTheURL() throws {
        let m = try Machine()
        defer { m.remove() }
        let repo = try PackScaffold.create(name: "gitpack", in: m.root.path)
        func git(_ arguments: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            p.arguments = ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.org"] + arguments
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "git \(arguments)")
        }
        try git(["init", "-q"])
        try git(["add", "."])
        try git(["commit", "-q", "-m", "pack"])
        let installed = try m.tooling().install("file://" + repo)
        #expect(installed.manifest.name == "gitpack")
        #expect(m.run("use \"gitpack\"\nprint(gitpack([2, 4]))").text == "3.0\n")
        let lock = try String(contentsOf: m.project.appendingPathComponent("skills.lock"), encoding: .utf8)
        #expect(lock.contains("source = \"file://\(repo)\""))
        #expect(!FileManager.default.fileExists(atPath: installed.directory + "/.git"))
    }

    @Test(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
    func theSkillCommandMakesTestsPacksInstallsListsAndRemoves() throws {
        let m = try Machine()
        defer { m.remove() }
        func looplab(_ arguments: String...) throws -> ProcessResult {
            try runLooplab(["skill"] + arguments, directory: m.project, environment: m.environment)
        }
        #expect(try looplab("new", "demo").stdout.contains("created demo/"))
        #expect(try looplab("new", "demo").stderr.contains("'demo' already exists"))
        #expect(try looplab("test", "demo").stdout.contains("ok  tests/demo_test.loop"))
        let packed = try looplab("pack", "demo")
        #expect(packed.stdout.contains("wrote ./demo-0.1.0.looppack"), "\(packed.stderr)")
        let sha = try #require(packed.stdout.split(separator: "\n").first { $0.hasPrefix("sha256 ") }).dropFirst(7)
        let wrong = try looplab("install", "demo-0.1.0.looppack", "--sha256", String(repeating: "0", count: 64))
        #expect(wrong.status == 1 && wrong.stderr.contains("sha256"))
        let install = try looplab("install", "demo-0.1.0.looppack", "--sha256", String(sha))
        #expect(install.status == 0, "\(install.stderr)")
        #expect(SkillCommandLines.row(try looplab("list").stdout, "demo", "0.1.0", "demo", "none"))
        #expect(try looplab("show", "demo").stdout.contains("sha256:       \(sha)"))
        try m.write("use.loop", "use \"demo\"\nprint(demo([1, 2, 3], scale: 3))\n")
        #expect(try runLooplab(["run", "use.loop"], directory: m.project, environment: m.environment).stdout == "6.0\n")
        #expect(try looplab("remove", "demo").stdout.contains("removed demo"))
        #expect(try looplab("list").stdout.contains("no packs installed"))
        #expect(try looplab("show", "demo").stderr.contains("no installed pack named 'demo'"))
    }
}

enum SkillCommandLines {
    /// Whether a line of a table has exactly these cells, however wide the columns are.
    static func row(_ table: String, _ cells: String...) -> Bool {
        table.split(separator: "\n").contains { $0.split(separator: " ").map(String.init) == cells }
    }
}
