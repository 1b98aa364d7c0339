import Foundation
import LoopLang
import LoopSkills
import LoopSupport

extension Toolbox {
    /// Lets a client stop a `run_loop` it started: the code stops at its next statement, and a
    /// command it runs is killed, exactly as when its time budget runs out.
    public final class Cancellation: @unchecked Sendable {
        private let lock = NSLock()
        private var deadline: Deadline?
        private var cancelled = false

        public init() {}

        public func cancel() {
            lock.lock()
            defer { lock.unlock() }
            cancelled = true
            deadline?.expire()
        }

        fileprivate func arm(_ deadline: Deadline) {
            lock.lock()
            defer { lock.unlock() }
            self.deadline = deadline
            if cancelled { deadline.expire() }
        }
    }

    /// The longest `timeout_seconds` a client may ask for, and the default.
    public static let runLoopMaxSeconds = 3600.0
    public static let runLoopDefaultSeconds = 60.0

    /// Evaluates `.loop` code in a fresh interpreter on the server's store, as untrusted code: it
    /// runs as a principal granted the store and reading files, and `exec` or writing files only
    /// when the server was started with `--allow-exec` / `--allow-write` (the same machinery as a
    /// skill pack's grant). Blocking; runs on a thread of its own, so other tools go on.
    public func runLoop(_ arguments: [String: JSONValue], cancellation: Cancellation = Cancellation()) throws(Failure) -> Output {
        guard let tool = Self.tools.first(where: { $0.name == "run_loop" }) else { throw Failure("run_loop is not in the catalog") }
        let args = try Arguments(tool: tool, values: arguments)
        let code = try args.string("code")
        let seconds = try args.number("timeout_seconds") ?? Self.runLoopDefaultSeconds
        guard seconds > 0, seconds <= Self.runLoopMaxSeconds else {
            throw Failure("run_loop: timeout_seconds must be in (0, \(Int(Self.runLoopMaxSeconds))], got \(seconds)")
        }
        let permissions = Permissions(exec: grants.exec ? .any : .none, write: grants.write ? ["."] : [], read: ["/"], store: true)
        let grant = PackGrant(pack: "mcp", skill: "run_loop", permissions: permissions,
                              note: "code sent to looplab mcp runs without exec and file writes unless the server was started with --allow-exec / --allow-write")
        let output = CapturedOutput()
        let started = Monotonic.seconds()
        let (value, error): (JSONValue, String?) = Interpreter.onLargeStack {
            let interpreter = LoopLab.makeInterpreter(output: output, stdlibDirectory: stdlibDirectory, settings: settings, projectDirectory: projectDirectory)
            defer { LoopLab.finish(interpreter) }
            let budget = interpreter.startDeadline(seconds: seconds, reason: "run_loop: stopped after \(Printer.display(.duration(seconds))) (timeout_seconds)")
            let cancel = interpreter.startDeadline(seconds: 1e9, reason: "run_loop: cancelled by the client")
            cancellation.arm(cancel)
            defer {
                budget.cancel()
                cancel.cancel()
            }
            do throws(LoopError) {
                let result = try interpreter.run(SourceFile(name: "<run_loop>", text: code), as: Principal(name: "mcp/run_loop", payload: grant))
                return (Self.json(result), nil)
            } catch {
                return (.null, DiagnosticRenderer.render(error))
            }
        }
        return Output([
            "output": .string(output.text), "value": value, "error": error.map { .string($0) } ?? .null,
            "seconds": .number(((Monotonic.seconds() - started) * 1000).rounded() / 1000),
        ])
    }
}
