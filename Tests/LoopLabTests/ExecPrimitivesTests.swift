import Foundation
import LoopLab
import LoopLang
import LoopStore
import Testing

/// Whether any process is still in process group `pgid`, waiting up to `seconds` for the group
/// to empty (killed grandchildren are reaped by init shortly after they die).
func processGroupAlive(_ pgid: Int32, within seconds: Double = 3) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if kill(-pgid, 0) != 0 && errno == ESRCH { return false }
        usleep(20_000)
    }
    return true
}

/// `exec`: the record, `key: value` parsing, exit codes, timeouts that kill the whole process
/// group, env and cwd, the output artifact, and missing programs.
@Suite struct ExecPrimitivesTests {
    @Test func keyValueLinesBecomeFields() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(#"""
        let r = exec("printf 'epoch 1/2 done\nval_bpb: 0.997\nsteps: 100\nsteps: 120\nname: gpt tiny\nstatus: weird\nnot a key: 1\n'")
        print(r.status, r.exit_code, type(r.time), r.val_bpb, type(r.val_bpb), r.steps, type(r.steps), r.name)
        print(r.metrics.status, r.metrics.val_bpb, r.metrics.steps, len(r.artifact))
        print(r.output)
        """#)
        #expect(out == """
        ok 0 Duration 0.997 Float 120 Int gpt tiny
        weird 0.997 120 64
        epoch 1/2 done
        val_bpb: 0.997
        steps: 100
        steps: 120
        name: gpt tiny
        status: weird
        not a key: 1

        """)
    }

    @Test func nonZeroExitIsAResultAndArgvNeedsNoShell() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(#"""
        let a = exec("echo about to fail; exit 3")
        print(a.status, a.exit_code, a.output)
        let b = exec(["sh", "-c", "echo \"$1 $2\"", "sh", "two words", "x;y"])
        print(b.status, b.exit_code, b.output)
        let c = exec("kill -9 $$")
        print(c.status, c.exit_code)
        """#)
        #expect(out == "failed 3 about to fail\nok 0 two words x;y\nfailed 137\n")
    }

    @Test func timeoutKillsTheWholeProcessGroup() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        // A background grandchild, and one that ignores SIGTERM (so only SIGKILL after the grace
        // period stops it); `$$` is the shell, the leader of the command's own process group.
        let start = Date()
        let out = try store.run(#"""
        let r = exec("echo pgid: $$; (trap '' TERM; sleep 100) & sleep 100 & sleep 100", timeout: 0.5s, grace: 0.3s)
        print(r.status, r.pgid, r.time < 3s)
        """#)
        let fields = out.split(separator: " ")
        #expect(fields.first == "timeout")
        #expect(out.hasSuffix("true\n"))
        #expect(Date().timeIntervalSince(start) < 5)
        let pgid = try #require(Int32(fields[1]))
        #expect(pgid != getpgrp())
        #expect(!processGroupAlive(pgid), "processes of group \(pgid) survived the timeout")
    }

    @Test func environmentAndWorkingDirectory() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let dir = store.directory.resolvingSymlinksInPath().path
        let out = try store.run(#"""
        let r = exec("echo dir: $(pwd -P); echo v: $MYVAR; echo n: $MYNUM; echo home: ${HOME-unset}",
                     env: {MYVAR: "hello there", MYNUM: 42, HOME: nil}, cwd: \#(loopString(dir)))
        print(r.dir, "|", r.v, "|", r.n, type(r.n), "|", r.home)
        let same = exec("echo dir: $(pwd -P)")
        print(same.dir == r.dir)
        try { exec("true", cwd: "/no/such/dir") } catch e { print(e.kind, e.message) }
        """#)
        #expect(out == """
        \(dir) | hello there | 42 Int | unset
        false
        exec exec: cwd '/no/such/dir' is not a directory

        """)
    }

    @Test func outputIsKeptWholeAsAnArtifact() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(#"""
        let r = exec("i=1; while [ $i -le 120 ]; do echo line $i; i=$((i+1)); done; echo oops >&2")
        print(r.output.split("\n").count, r.output.split("\n")[0], r.artifact_path.contains("/artifacts/"))
        print(r.artifact)
        """#)
        let lines = out.split(separator: "\n")
        #expect(lines[0] == "50 line 72 true")
        let sha = String(lines[1])
        let opened = try Store(path: store.path)
        defer { try? opened.close() }
        let text = String(decoding: try opened.readArtifact(sha256: sha), as: UTF8.self)
        let expected = (1...120).map { "line \($0)\n" }.joined() + "oops\n"
        #expect(text == expected)
        #expect(try opened.artifact(sha256: sha)?.kind == "log")
    }

    @Test func aMissingProgramIsAClearError() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(#"""
        try { exec("no-such-program-xyz --lr 0.1") } catch e { print(e.kind, "|", e.message) }
        try { exec(["no-such-program-xyz", "a"]) } catch e { print(e.kind, "|", e.message) }
        try { exec(["./nope.sh"]) } catch e { print(e.kind, "|", e.message) }
        try { exec(42) } catch e { print(e.kind) }
        let r = exec("FOO=1 true && echo ok: 1")
        print(r.ok)
        """#)
        #expect(out == """
        exec | exec: program 'no-such-program-xyz' not found on PATH (command: no-such-program-xyz --lr 0.1)
        exec | exec: program 'no-such-program-xyz' not found on PATH (command: no-such-program-xyz a)
        exec | exec: program './nope.sh' does not exist or is not executable (command: ./nope.sh)
        exec
        1

        """)
    }

    @Test func echoShowsLinesWhenAsked() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(#"""
        print("before")
        let r = exec("echo one; echo two", echo: true)
        let quiet = exec("echo three")
        print("after", r.status, quiet.status)
        """#)
        #expect(out == "before\none\ntwo\nafter ok ok\n")
    }

    @Test func rememberTakesAnExecRecord() throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let out = try store.run(#"""
        let st = study("ext", space: space {lr: choice(0.1, 0.2, 0.3)}, strategy: "grid", goal: minimize("val_bpb"))
        for t in st {
          let cmd = if t.lr == 0.2 { "echo Traceback; exit 2" } else if t.lr == 0.3 { "echo loss: 1" } else { "echo val_bpb: \(t.lr * 10)" }
          remember(t, exec(cmd))
        }
        for h in history(st).sorted(by: fn(a, b) { a.params.lr < b.params.lr }) { print(h.params.lr, h.status, h.value, h.error) }
        """#)
        #expect(out == """
        0.1 complete 1.0 nil
        0.2 failed nil exec failed with exit code 2: Traceback
        0.3 failed nil exec printed no 'val_bpb: <number>' line (the study's goal)

        """)
    }
}

/// Ctrl-C during `exec`, through the real binary: the command's group is killed, `exec` returns
/// status "interrupted", and the program stops at its next step (status 130 unless caught).
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct ExecInterruptTests {
    @Test(arguments: [false, true])
    func controlCKillsTheGroupAndStopsTheProgram(caught: Bool) throws {
        let store = try ScratchStore()
        defer { store.remove() }
        let pidFile = store.directory.appendingPathComponent("pgid").path
        let script = store.directory.appendingPathComponent("ctrlc.loop")
        let command = "exec(\"echo $$ > \(pidFile); sleep 100 & sleep 100\")"
        try (caught ? """
        var r = nil
        try { r = \(command); print("not reached") } catch e { print("caught", e.kind) }
        print(r.status, r.time < 5s)
        """ : """
        let r = \(command)
        print("not reached")
        """).write(to: script, atomically: true, encoding: .utf8)
        let result = try runLooplab(["run", "--store", store.path, script.path], interruptAfter: 1.0)
        #expect(result.stdout == (caught ? "caught interrupted\ninterrupted true\n" : ""))
        #expect(result.status == (caught ? 0 : 130))
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let pgid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!processGroupAlive(pgid), "processes of group \(pgid) survived Ctrl-C")
    }
}
