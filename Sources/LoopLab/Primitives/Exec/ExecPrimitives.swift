import Foundation
import Glibc
import LoopLang
import LoopStore

/// `exec(command, timeout:, env:, cwd:, grace:, echo:)`: runs an external program (a training
/// script, a benchmark) the way an agent drives `train.py`, and returns what it reported.
enum ExecPrimitives {
    /// Fields every exec record has; a printed `key: value` with one of these names is only under
    /// `metrics`.
    static let fixedFields: Set<String> = ["status", "exit_code", "time", "output", "artifact", "artifact_path", "metrics"]

    private enum P {
        static let command = Param.value("command", doc: "a String run by /bin/sh -c, or a List: the program and its arguments")
        static let timeout = Param.optionalSeconds("timeout", doc: "stop the command after this long (a Duration > 0)")
        static let env = Param.optional("env", doc: "a record of variables to set (nil unsets one) over the inherited environment")
        static let cwd = Param.optionalString("cwd", doc: "the directory to run in")
        static let grace = Param.seconds("grace", default: 5, doc: "after SIGTERM, how long before SIGKILL")
        static let echo = Param.optionalBool("echo", doc: "print the command's lines as they come (default: when on a terminal)")
    }

    static func register(into registry: Registry, context: ResearchContext) {
        registry.function(
            "exec", NativeParameters.list(P.command, P.timeout, P.env, P.cwd, P.grace, P.echo),
            doc: "Runs a command (a String via /bin/sh -c, or a List as argv) in its own process group; returns {status: ok|failed|timeout|interrupted, exit_code, time, output (last 50 lines), artifact, artifact_path, metrics} plus each `key: value` line it printed."
        ) { call throws(LoopError) in
            try run(call, context: context)
        }
    }

    private static func run(_ call: NativeCall, context: ResearchContext) throws(LoopError) -> Value {
        var command = try ExecCommand(try call[P.command])
        let timeout = try call[P.timeout]
        if let timeout, !(timeout > 0) { throw execError("exec: timeout must be a Duration > 0, like 5m; got \(timeout)s") }
        let grace = try call[P.grace]
        guard grace >= 0 else { throw execError("exec: grace must be a Duration >= 0") }
        let environment = try environmentOverrides(try call[P.env])
        let cwd = try call[P.cwd]
        if let dir = cwd {
            var info = stat()
            guard stat(dir, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw execError("exec: cwd '\(dir)' is not a directory")
            }
        }
        // Live lines for a person watching, none in logs and pipes.
        let echo = try call[P.echo] ?? (isatty(1) != 0)

        let executablePath: String
        (command, executablePath) = try prepare(command, environment: environment, cwd: cwd, call: call, function: "exec")

        let output = try ExecOutput(echo: echo ? call.interpreter.output : nil)
        call.interpreter.output.flush()  // what the script printed comes before the command's lines
        let runner = ExecRunner(command: command, executablePath: executablePath, environment: environment, cwd: cwd, timeout: timeout, grace: grace)
        let outcome = try runner.run(into: output)
        let name = "exec: " + String(command.display.prefix(120))
        let (artifact, file) = try context.withStore { store throws(StoreError) in
            let artifact = try store.putArtifact(fileAt: output.file, kind: "log", name: name)
            return (artifact, try store.artifactURL(artifact))
        }
        if let deadline = outcome.deadline { throw deadline.error() }
        return record(outcome, output: output, artifact: artifact, file: file)
    }

    /// The command as it will run and the file that runs it: narrowed by a pack's grant
    /// (`ExecGrant`), else its program found on PATH; then the exec capability is required (and
    /// confirmed when the policy asks). `function` names the caller in errors (`exec`, `agent`).
    static func prepare(_ command: ExecCommand, environment: [String: String?], cwd: String?, call: NativeCall,
                        function: String) throws(LoopError) -> (command: ExecCommand, executable: String) {
        var command = command
        var executablePath = command.executable
        if let restricted = try ExecGrant.restrict(command, environment: environment, interpreter: call.interpreter) {
            (command, executablePath) = restricted
        } else if command.checkProgram {
            let path = (environment["PATH"] ?? nil) ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
            guard let found = ExecCommand.resolve(command.program, path: path, cwd: cwd) else {
                if command.program.contains("/") {
                    throw execError("\(function): program '\(command.program)' does not exist or is not executable (command: \(command.display))")
                }
                throw execError("\(function): program '\(command.program)' not found on PATH (command: \(command.display))")
            }
            if command.executable == command.program { executablePath = found }
        }
        try Capabilities.require(.exec(program: command.program), call)
        return (command, executablePath)
    }

    /// `env: {NAME: value}` on top of this process's environment; nil unsets a variable.
    private static func environmentOverrides(_ value: Value) throws(LoopError) -> [String: String?] {
        switch value {
        case .nil: return [:]
        case .record(let r):
            var out: [String: String?] = [:]
            for (key, v) in r.fields {
                guard !key.isEmpty, !key.contains("=") else { throw execError("exec: '\(key)' cannot be an environment variable name") }
                switch v {
                case .nil: out[key] = .some(nil)
                case .string(let s): out[key] = s
                case .int, .float, .bool, .duration: out[key] = Printer.display(v)
                default: throw execError("exec: env.\(key) must be a String or a number, got \(v.typeName)")
                }
            }
            return out
        case let other: throw execError("exec: env must be a record like {CUDA_VISIBLE_DEVICES: \"0\"}, got \(other.typeName)")
        }
    }

    private static func record(_ outcome: ExecRunner.Outcome, output: ExecOutput, artifact: Artifact, file: URL) -> Value {
        let exitCode: Int
        var status: String
        switch outcome.termination {
        case .exited(let code):
            exitCode = Int(code)
            status = code == 0 ? "ok" : "failed"
        case .signaled(let signal):
            exitCode = 128 + Int(signal)  // as a shell reports a signalled command
            status = "failed"
        }
        switch outcome.stop {
        case .timeout?: status = "timeout"
        case .interrupted?: status = "interrupted"
        case nil: break
        }
        var parsed: [(String, Value)] = []
        for (key, value) in output.fields { parsed.append((key, value)) }
        var fields: [(String, Value)] = [
            ("status", .string(status)), ("exit_code", .int(exitCode)), ("time", .duration(outcome.seconds)),
            ("output", .string(output.tail.joined(separator: "\n"))), ("artifact", .string(artifact.sha256)),
            ("artifact_path", .string(file.path)),
            ("metrics", .record(pairs: parsed)),
        ]
        for (key, value) in parsed where !fixedFields.contains(key) { fields.append((key, value)) }
        return .record(pairs: fields)
    }

    /// An exec record (what `remember(t, exec(...))` recognises): its status, metrics and a
    /// one-line account of a failure.
    static func result(of record: Record) -> (status: String, metrics: Record, failure: String?)? {
        guard case .string(let status)? = record.fields["status"], case .int(let code)? = record.fields["exit_code"],
              record.fields["artifact"] != nil, case .record(let metrics)? = record.fields["metrics"] else { return nil }
        var lastLine = ""
        if case .string(let out)? = record.fields["output"] { lastLine = out.split(separator: "\n").last.map(String.init) ?? "" }
        let seconds = record.fields["time"].flatMap { if case .duration(let d) = $0 { d } else { nil } } ?? 0
        let failure: String?
        switch status {
        case "ok": failure = nil
        case "timeout": failure = "exec timed out after \(Printer.display(.duration(seconds)))"
        case "interrupted": failure = "exec interrupted"
        default: failure = "exec failed with exit code \(code)" + (lastLine.isEmpty ? "" : ": \(lastLine)")
        }
        return (status, metrics, failure)
    }
}
