import Foundation
import Testing

/// The real thing: the built `looplab` binary under a pseudo-terminal (GNU readline, signals,
/// the history file). Driven by a small Python script using only the standard library's `pty`,
/// with a deadline on every wait so a broken REPL fails the test instead of hanging it.
struct TerminalTests {
    @Test(.timeLimit(.minutes(1)))
    func promptsContinuationCtrlCHistoryAndCtrlD() throws {
        guard let (state, log, status) = try Self.drive(Self.prelude + Self.session) else { return }
        defer { try? FileManager.default.removeItem(at: state) }
        #expect(status == 0, "pty session failed:\n\(log)")

        let history = try String(contentsOfFile: state.appendingPathComponent("looplab/history").path, encoding: .utf8)
        // Entries are separated by `#<timestamp>` lines; the function is one entry of three lines.
        let entries = history.split(separator: "\n", omittingEmptySubsequences: false)
            .reduce(into: [String]()) { entries, line in
                if line.hasPrefix("#"), line.dropFirst().allSatisfy(\.isNumber), !line.dropFirst().isEmpty {
                    entries.append("")
                } else if !entries.isEmpty {
                    entries[entries.count - 1] += entries[entries.count - 1].isEmpty ? String(line) : "\n" + line
                }
            }
            .map { $0.trimmingCharacters(in: .newlines) }
        #expect(entries.contains("fn f(x) {\nx * 2\n}"), "history file:\n\(history)")
        #expect(entries.contains("f(21)"))
        #expect(!entries.contains("x * 2"))
        #expect(!entries.contains("1 + 1"))  // dropped with Ctrl-C, never entered
    }

    /// One Ctrl-C ends a running `train` and the whole cell: a loop of four trainings stops at
    /// the first (before, `train` swallowed the interrupt and each run needed its own Ctrl-C).
    @Test(.timeLimit(.minutes(1)))
    func oneCtrlCStopsACellOfTrainings() throws {
        guard let (state, log, status) = try Self.drive(Self.prelude + Self.trainings) else { return }
        defer { try? FileManager.default.removeItem(at: state) }
        #expect(status == 0, "pty session failed:\n\(log)")
    }

    /// Runs a driver script against the binary under a pty; nil when python3 is missing.
    static func drive(_ driver: String) throws -> (state: URL, log: String, status: Int32)? {
        guard let python = Self.findExecutable("python3") else {
            print("skipping: python3 is not installed")
            return nil
        }
        let binary = try #require(Self.looplabBinary(), "the looplab executable was not found next to the test bundle (build it with `swift build`)")
        let state = try makeTemporaryDirectory()
        let script = state.appendingPathComponent("drive.py")
        try driver.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, binary, state.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let deadline = Date().addingTimeInterval(45)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (state, log, process.terminationStatus)
    }

    /// `looplab` in the build directory that holds this test bundle.
    static func looplabBinary() -> String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
            // A bundle directory on some platforms: .../debug/X.xctest/Contents/MacOS/X.
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("looplab").path)
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/looplab").path)
        candidates.append(repositoryRoot.appendingPathComponent(".build/release/looplab").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The driver's set-up: the REPL under a pty, and `expect`, `send`, `interrupt_until`, `quit`.
    static let prelude = #"""
    import os, pty, select, signal, sys, time

    binary, state = sys.argv[1], sys.argv[2]
    env = dict(os.environ, XDG_STATE_HOME=state, HOME=state, TERM="xterm", LOOPLAB_STORE=state + "/store")
    pid, fd = pty.fork()
    if pid == 0:
        # The test runner may have started us with SIGINT ignored or blocked; a terminal user's
        # shell would not.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        os.chdir(state)
        os.execve(binary, [binary], env)

    seen = b""
    rest = b""

    def fail(message):
        sys.stdout.write(message + "\n--- terminal output ---\n" + seen.decode("utf-8", "replace") + "\n")
        try:
            os.kill(pid, 9)
        except OSError:
            pass
        sys.exit(1)

    def expect(text, timeout=10.0):
        global seen, rest
        want = text.encode()
        deadline = time.time() + timeout
        while want not in rest:
            left = deadline - time.time()
            if left <= 0:
                fail("timed out waiting for %r" % text)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                fail("the REPL exited while waiting for %r" % text)
            seen += data
            rest += data
        rest = rest[rest.index(want) + len(want):]

    def send(text):
        os.write(fd, text.encode())

    def interrupt_until(text):
        # A Ctrl-C that lands before the cell starts running is (rightly) dropped as stale, so
        # on a loaded machine press it again rather than wait forever.
        global rest
        for attempt in range(10):
            time.sleep(0.3)
            send("\x03")
            deadline = time.time() + 1.5
            while time.time() < deadline:
                if text.encode() in rest:
                    return expect(text)
                ready, _, _ = select.select([fd], [], [], 0.1)
                if ready:
                    try:
                        data = os.read(fd, 4096)
                    except OSError:
                        data = b""
                    if not data:
                        fail("the REPL exited while waiting for %r" % text)
                    globals()["seen"] += data
                    rest += data
        fail("Ctrl-C never produced %r" % text)

    def quit():
        global seen
        send("\x04")         # Ctrl-D
        deadline = time.time() + 10
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.time() > deadline:
                fail("the REPL did not exit after Ctrl-D")
            try:
                ready, _, _ = select.select([fd], [], [], 0.05)
                if ready:
                    seen += os.read(fd, 4096)
            except OSError:
                time.sleep(0.05)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            fail("the REPL exited with status %r" % status)
        print("ok")

    """#

    static let session = #"""
    expect("[1]> ")
    send("fn f(x) {\r")
    expect("...> ")
    send("x * 2\r")
    expect("...> ")
    send("}\r")
    expect("[2]> ")
    send("1 + 1")        # typed, then dropped with Ctrl-C at the prompt
    time.sleep(0.2)
    send("\x03")
    expect("[2]> ")
    send("while true {}\r")
    interrupt_until("interrupted")        # interrupts the running loop
    expect("[3]> ")
    send("try { while true {} } catch e { e.kind }\r")
    interrupt_until('[3] "interrupted"')  # the error is catchable
    expect("[4]> ")
    send("f(21)\r")     # the session survived both interrupts
    expect("[4] 42")
    expect("[5]> ")
    quit()
    """#

    static let trainings = #"""
    expect("[1]> ")
    send('let d = dataset("spirals", n: 400, seed: 0)\r')
    expect("[2]> ")
    send('for i in 0..<4 { print("training", i); train(mlp(d, hidden: [32], seed: i), d, epochs: 1_000_000, budget: 5s, progress: false); print("trained", i) }\r')
    expect("training 0")
    time.sleep(0.5)
    send("\x03")                 # once
    expect("interrupted", timeout=4.0)
    expect("[3]> ", timeout=4.0)
    if b"trained 0" in seen or b"training 1" in seen:
        fail("the cell went on after one Ctrl-C")
    send('d.size\r')            # the session is fine, its state kept
    expect("[3] 399")
    expect("[4]> ")              # Ctrl-D only once readline reads again
    quit()
    """#
}
