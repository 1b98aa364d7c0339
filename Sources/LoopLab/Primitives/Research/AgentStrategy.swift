import Foundation
import Glibc
import LoopLang
import LoopResearch
import LoopStore
import LoopSupport

/// `agent("command")`: a proposal strategy that asks an outside program (a model CLI, a script)
/// for the next configuration. For each proposal the command runs once with a JSON document on
/// stdin (`looplab.agent/1`: the space, the goal, every trial so far, the study's notes, the
/// budget left) and prints a JSON answer on stdout; docs/agents.md has the schema of both.
///
/// An answer that is not valid JSON, breaks the space or repeats a tried configuration is sent
/// back once with the error (`feedback`); a second failure, a timeout or a crash gives the
/// proposal to the fallback strategy instead, and the note says so. The command was checked
/// against the exec capability when `agent(...)` was called, so a pack needs its grant.
final class AgentStrategy: @unchecked Sendable {
    let command: ExecCommand
    let executablePath: String

    /// The protocol's name and version, the first field of every request.
    static let protocolName = "looplab.agent/1"
    /// How long one answer may take unless `agent_timeout:` says otherwise.
    static let defaultTimeout = 120.0
    /// An answer larger than this is refused (a runaway command, not a proposal).
    static let answerLimit = 1 << 20

    init(command: ExecCommand, executablePath: String) {
        self.command = command
        self.executablePath = executablePath
    }

    static let type = HostType(
        name: "AgentStrategy", doc: "A proposal strategy that asks an outside command (agent(\"cmd\")); use it as strategy: of study or propose.",
        summary: { "<agent: \(($0 as! AgentStrategy).command.display)>" },
        members: ["command": .property(doc: "The command, as given.") { .string(($0 as! AgentStrategy).command.display) }])

    static func register(into registry: Registry) {
        registry.register(type)
        let command = Param.value("command", doc: "a String run by /bin/sh -c, or a List: the program and its arguments")
        registry.function(
            "agent", NativeParameters.list(command),
            doc: "A proposal strategy for study(..., strategy: agent(\"cmd\")) or propose(..., strategy: agent(\"cmd\")): the command gets a JSON document on stdin (space, goal, trials, notes, budget) and answers {\"params\": {...}, \"rationale\": \"...\"} on stdout. An invalid answer is sent back once; then the default strategy proposes (recorded). agent_timeout: on study/propose limits each answer (default 2m). See docs/agents.md."
        ) { call throws(LoopError) in
            let parsed = try ExecCommand(try call[command])
            let (resolved, path) = try ExecPrimitives.prepare(parsed, environment: [:], cwd: nil, call: call, function: "agent")
            return .handle(Handle(type, AgentStrategy(command: resolved, executablePath: path)))
        }
    }

    // MARK: Asking

    /// One proposal the agent made, with its reasoning.
    struct Proposal {
        var config: Config
        var rationale: String?
    }

    /// Why the agent's proposals were not used.
    struct Failure: Error {
        let reason: String
    }

    /// Asks for `n` proposals. `request` is the document without `n` and `feedback`; `tried`
    /// holds the configurations a proposal must not repeat (empty when repeats are allowed).
    /// Returns the validated proposals, or why the agent failed twice (or could not answer).
    func ask(_ request: [String: JSONValue], space: Space, n: Int, tried: Set<Config>, timeout: Double) -> Result<[Proposal], Failure> {
        var document = request
        document["protocol"] = .string(Self.protocolName)
        document["n"] = .int(n)
        document["feedback"] = .null
        var firstError: String?
        for attempt in 0..<2 {
            let answer: JSONValue
            switch run(document, timeout: timeout) {
            case .failure(let failure):
                // A crash or a timeout is not something the agent can correct from feedback
                // (and a second timeout would double the wait): fall back at once.
                return .failure(Failure(reason: firstError.map { "\($0); then \(failure.reason)" } ?? failure.reason))
            case .success(let json): answer = json
            }
            switch validate(answer, space: space, n: n, tried: tried) {
            case .success(let proposals): return .success(proposals)
            case .failure(let failure):
                if attempt == 1 { return .failure(Failure(reason: "\(firstError ?? ""); after feedback: \(failure.reason)")) }
                firstError = failure.reason
                document["feedback"] = ["error": .string(failure.reason), "answer": answer]
            }
        }
        return .failure(Failure(reason: firstError ?? "no answer"))
    }

    /// Runs the command once with `document` on stdin; its stdout parsed as JSON. Its stderr
    /// goes to ours, so an agent's own log stays visible.
    private func run(_ document: [String: JSONValue], timeout: Double) -> Result<JSONValue, Failure> {
        let name = command.display.count > 60 ? String(command.display.prefix(57)) + "..." : command.display
        var template = Array((NSTemporaryDirectory() + "/looplab-agent-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return .failure(Failure(reason: "cannot create a temporary file for the request: \(String(cString: strerror(errno)))")) }
        let requestPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(requestPath) }
        let bytes = Array(JSONValue.object(document).serialized().utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { return .failure(Failure(reason: "cannot write the request: \(String(cString: strerror(errno)))")) }

        let outcome: ExecRunner.Outcome
        let output: ExecOutput
        do throws(LoopError) {
            output = try ExecOutput(echo: nil)
            var runner = ExecRunner(command: command, executablePath: executablePath, environment: [:], cwd: nil, timeout: timeout, grace: 2)
            runner.stdinPath = requestPath
            runner.stderrDescriptor = 2
            outcome = try runner.run(into: output)
        } catch {
            return .failure(Failure(reason: "agent '\(name)' could not run: \(error.message)"))
        }
        switch outcome.stop {
        case .timeout?: return .failure(Failure(reason: "agent '\(name)' gave no answer within \(Printer.display(.duration(timeout))) (agent_timeout)"))
        case .interrupted?: return .failure(Failure(reason: "agent '\(name)' was interrupted"))
        case nil: break
        }
        if case .signaled(let signal) = outcome.termination { return .failure(Failure(reason: "agent '\(name)' was killed by signal \(signal)")) }
        let text: String
        do throws(BoundedFile.Failure) { text = try BoundedFile.readText(output.file.path, limit: Self.answerLimit) } catch {
            return .failure(Failure(reason: "agent '\(name)': its answer could not be read: \(error)"))
        }
        if case .exited(let code) = outcome.termination, code != 0 {
            let last = text.split(separator: "\n").last.map { ": " + $0.prefix(200) } ?? ""
            return .failure(Failure(reason: "agent '\(name)' exited with code \(code)\(last)"))
        }
        // The whole output is the answer; a chatty command may print lines before it, so the
        // last line that is JSON on its own is accepted too.
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .success(.null) }
        do throws(JSONSyntaxError) { return .success(try JSONReader.read(trimmed, with: JSONValueBuilder())) } catch {
            for line in trimmed.split(separator: "\n").reversed() {
                if let json = JSONValue(json: String(line)), json.objectValue != nil || json.arrayValue != nil { return .success(json) }
            }
            return .success(.string(String(trimmed.prefix(500))))
        }
    }

    // MARK: Validating

    /// The answer's proposals, each a configuration of `space` that is not in `tried` nor twice
    /// in the answer; or what is wrong with it, in words the agent can act on.
    func validate(_ answer: JSONValue, space: Space, n: Int, tried: Set<Config>) -> Result<[Proposal], Failure> {
        let items: [JSONValue]
        switch answer {
        case .array(let list): items = list
        case .object(let o) where o["proposals"] != nil:
            guard case .array(let list)? = o["proposals"] else { return .failure(Failure(reason: "\"proposals\" must be a list of {\"params\": {...}, \"rationale\": \"...\"}")) }
            items = list
        case .object: items = [answer]
        case .null: return .failure(Failure(reason: "the answer was empty; expected {\"params\": {...}, \"rationale\": \"...\"}"))
        default: return .failure(Failure(reason: "the answer is not a JSON object: expected {\"params\": {...}, \"rationale\": \"...\"}, got \(String(answer.serialized().prefix(200)))"))
        }
        guard items.count == n else {
            return .failure(Failure(reason: "expected \(n) proposal\(n == 1 ? "" : "s"), got \(items.count)"))
        }
        var proposals: [Proposal] = []
        var seen = tried
        for (index, item) in items.enumerated() {
            let which = n == 1 ? "" : "proposal \(index + 1): "
            guard case .object(let fields) = item, case .object(let params)? = fields["params"] else {
                return .failure(Failure(reason: "\(which)expected {\"params\": {...}, \"rationale\": \"...\"}"))
            }
            let config: Config
            switch Self.configuration(params, in: space) {
            case .success(let c): config = c
            case .failure(let failure): return .failure(Failure(reason: which + failure.reason))
            }
            guard seen.insert(config).inserted else {
                return .failure(Failure(reason: "\(which)\(JSONValue.object(params).serialized()) was already tried; propose a configuration not in \"trials\""))
            }
            var rationale: String?
            if case .string(let text)? = fields["rationale"], !text.isEmpty { rationale = String(text.prefix(4000)) }
            proposals.append(Proposal(config: config, rationale: rationale))
        }
        return .success(proposals)
    }

    /// `params` as a configuration of `space`, or the first thing wrong with it: an unknown
    /// name, a missing active parameter, a value outside its distribution, an inactive one given.
    static func configuration(_ params: [String: JSONValue], in space: Space) -> Result<Config, Failure> {
        if let unknown = params.keys.sorted().first(where: { space.parameter(named: $0) == nil }) {
            let names = space.parameters.map(\.name).joined(separator: ", ")
            return .failure(Failure(reason: "unknown parameter '\(unknown)'; the space has: \(names)"))
        }
        var config = Config()
        for p in space.parameters {
            let active = p.condition.map { $0.holds(in: config) } ?? true
            guard let json = params[p.name] else {
                if active { return .failure(Failure(reason: "'\(p.name)' is missing; it ranges over \(p.distribution)")) }
                continue
            }
            guard active else { return .failure(Failure(reason: "'\(p.name)' is given, but it is inactive here (it applies when \(p.condition!))")) }
            guard let value = ResearchValues.parameterValue(json, for: p.distribution), p.distribution.contains(value) else {
                return .failure(Failure(reason: "'\(p.name)' is \(json.serialized()), outside \(p.distribution)"))
            }
            config[p.name] = value
        }
        return .success(config)
    }

    // MARK: The request

    /// A trial as the agent sees it.
    static func trialJSON(_ t: StudyTrial) -> JSONValue {
        var o: [String: JSONValue] = [
            "number": .int(t.number), "status": .string(t.status.rawValue),
            "params": .object(ResearchValues.jsonParams(t.config)),
            "metrics": .object(t.metrics.mapValues { $0.isFinite ? .number($0) : .null }),
            "value": t.value.map { .number($0) } ?? .null,
            "error": t.error.map { .string($0) } ?? .null,
        ]
        if let original = t.repeatOf { o["repeat_of"] = .int(original) }
        return .object(o)
    }

    static func goalJSON(_ goal: Goal) -> JSONValue {
        ["metric": .string(goal.metric), "direction": .string(goal.direction.rawValue)]
    }
}

/// The `Sampler` a study with `strategy: agent(...)` proposes through: the agent first, the
/// fallback strategy when the agent fails. It keeps what the agent said about each proposal
/// until the study has claimed it, when the study's handle stores it as the trial's note.
final class AgentSampler: Sampler, @unchecked Sendable {
    let agent: AgentStrategy
    let fallback: any Sampler
    let timeout: Double
    /// The request document's other fields (study, trials, notes, budget), built when asked.
    var request: () -> [String: JSONValue] = { [:] }
    /// What to record with each proposed configuration: the agent's rationale, or why the
    /// fallback strategy proposed it.
    private var notes: [Config: (text: String, fallback: Bool)] = [:]

    init(agent: AgentStrategy, fallback: any Sampler, timeout: Double) {
        self.agent = agent
        self.fallback = fallback
        self.timeout = timeout
    }

    var name: String { "agent" }

    func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        let tried = allowRepeat ? [] : Set(history.map(\.config))
        notes = [:]
        switch agent.ask(request(), space: space, n: n, tried: tried, timeout: timeout) {
        case .success(let proposals):
            for p in proposals { notes[p.config] = (p.rationale ?? "(no rationale given)", false) }
            return proposals.map(\.config)
        case .failure(let failure):
            let configs = fallback.propose(space: space, history: history, n: n, allowRepeat: allowRepeat, rng: &rng)
            StandardError.line("agent: \(failure.reason); \(fallback.name) proposed instead")
            for c in configs { notes[c] = ("agent failed (\(failure.reason)); proposed by \(fallback.name) instead", true) }
            return configs
        }
    }

    /// The note for a configuration this sampler proposed (once).
    func takeNote(for config: Config) -> (text: String, fallback: Bool)? {
        notes.removeValue(forKey: config)
    }
}

/// An agent's word on a trial, as the store keeps it: a note linked to the trial, tagged
/// `agent` and `rationale` (or `fallback` when the default strategy proposed instead).
public enum AgentNotes {
    /// The note text of each trial that has one, by trial id.
    public static func byTrial(_ notes: [Note]) -> [Int64: String] {
        var out: [Int64: String] = [:]
        for note in notes where note.tags.contains("agent") { if let id = note.trialID { out[id] = note.text } }
        return out
    }
}
