import Foundation
import Glibc
import LoopLang
import LoopResearch
import LoopStore
import LoopSupport

/// What an agent can do with a project, as named tools with JSON arguments and JSON results:
/// studies (create, ask, tell, summaries, best, importance, report), memory, the model registry,
/// the skill library and `.loop` code. `looplab mcp` serves these over the Model Context
/// Protocol; the toolbox itself knows nothing of MCP (LoopMCP adapts it), so the same calls are
/// tested in-process and through the real protocol. docs/mcp.md lists every tool.
///
/// Calls are made one at a time (`call` takes a lock): a study's proposals depend on every
/// trial before them, and the store connection and the interpreter behind the memory, registry
/// and skill tools are single-threaded. `run_loop` runs apart, in an interpreter of its own.
public final class Toolbox: @unchecked Sendable {
    /// A tool as a client lists it.
    public struct Tool: Sendable {
        public let name: String
        public let title: String
        public let summary: String
        public let inputSchema: JSONValue
        /// True when the tool changes nothing (a hint clients show).
        public let readOnly: Bool
    }

    /// A tool's result: JSON, and images for tools that draw (`report`).
    public struct Output: Sendable {
        public var json: JSONValue
        public var images: [Image] = []
        public init(_ json: JSONValue, images: [Image] = []) {
            self.json = json
            self.images = images
        }
    }

    /// An image as base64 text with its MIME type.
    public struct Image: Sendable {
        public let base64: String
        public let mimeType: String
    }

    /// Why a call failed, in words for the agent: the tool, the argument and what was wrong.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// What `run_loop` may do beyond computing and using the store.
    public struct Grants: Sendable {
        public var exec: Bool
        public var write: Bool
        public init(exec: Bool = false, write: Bool = false) {
            self.exec = exec
            self.write = write
        }
    }

    let settings: HostSettings
    let projectDirectory: String
    let grants: Grants
    let stdlibDirectory: String?
    /// The looplab binary, for the tools that start one (`dashboard`); nil in-process.
    let executable: String?
    /// The dashboard `dashboard` started: its process and address.
    var dashboardProcess: (pid: pid_t, url: String)?
    let lock = NSLock()
    /// The server's own interpreter: the memory, registry and skill tools call the language's
    /// primitives through it, so they behave exactly as in a script. Trusted: its code is ours.
    private var interpreter: Interpreter?
    /// Studies opened by `ask`/`tell`, by name, with the trials this server handed out.
    var studies: [String: OpenStudy] = [:]

    public init(settings: HostSettings, projectDirectory: String = POSIXFiles.currentDirectory(), grants: Grants = Grants(),
                stdlibDirectory: String? = StdlibLocator.locate(), executable: String? = nil) {
        self.executable = executable
        self.settings = settings
        self.projectDirectory = projectDirectory
        self.grants = grants
        self.stdlibDirectory = stdlibDirectory
    }

    /// Settles what this server leaves behind: trials it handed out that were never told are
    /// recorded `interrupted` with a reason (not left running until their lease runs out).
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        for open in studies.values { open.abandonAll() }
        studies = [:]
        stopDashboard()
        if let interpreter { LoopLab.finish(interpreter) }
        interpreter = nil
        if let store { try? store.close() }
        store = nil
    }

    /// The store, opened on first use.
    private var store: Store?
    func openStore() throws(Failure) -> Store {
        if let store { return store }
        do throws(StoreError) {
            let opened = try Store.open(settings.storePath, projectDirectory: URL(fileURLWithPath: projectDirectory))
            store = opened
            return opened
        } catch {
            throw Failure("cannot open the store: \(error.description)")
        }
    }

    func withStore<T>(_ body: (Store) throws(StoreError) -> T) throws(Failure) -> T {
        let store = try openStore()
        do throws(StoreError) { return try body(store) } catch { throw Failure(error.description) }
    }

    // MARK: Calling

    /// Runs one tool (not `run_loop`, which has `runLoop`). Blocking; one call at a time.
    public func call(_ name: String, _ arguments: [String: JSONValue]) throws(Failure) -> Output {
        guard let tool = Self.tools.first(where: { $0.name == name }) else {
            throw Failure("unknown tool '\(name)'" + NameSuggestions.clause(for: name, in: Self.tools.map(\.name)))
        }
        let args = try Arguments(tool: tool, values: arguments)
        lock.lock()
        defer { lock.unlock() }
        switch name {
        case "list_studies": return try listStudies()
        case "study_summary": return Output(try summary(args.study()))
        case "create_study": return try createStudy(args)
        case "ask": return try ask(args)
        case "tell": return try tell(args)
        case "add_trial": return try addTrial(args)
        case "trials": return try trials(args)
        case "best": return try best(args)
        case "importance": return try importance(args)
        case "report": return try report(args)
        case "set_strategy": return try setStrategy(args)
        case "remember": return try remember(args)
        case "recall": return try primitive("recall", [.string(try args.string("query"))], named: [("limit", .int(try args.int("limit") ?? 10))])
        case "promote": return try promote(args)
        case "champion": return try primitive("champion", [.string(try args.string("name"))])
        case "rollback": return try primitive("rollback", [.string(try args.string("name"))])
        case "list_skills": return try primitive("skills", [])
        case "skill_info": return try primitive("skill_info", [.string(try args.string("name"))])
        case "find_skills": return try primitive("find_skills", [.string(try args.string("query"))])
        case "dashboard": return try dashboard(args)
        default: throw Failure("\(name) is not called through call(_:_:)")
        }
    }

    /// Calls a primitive of the language with these arguments on the server's interpreter; its
    /// value as JSON.
    func primitive(_ name: String, _ args: [Value], named: [(String, Value)] = []) throws(Failure) -> Output {
        let interpreter = self.interpreter ?? {
            let made = LoopLab.makeInterpreter(output: CapturedOutput(), stdlibDirectory: stdlibDirectory, settings: settings, projectDirectory: projectDirectory)
            self.interpreter = made
            return made
        }()
        guard let function = interpreter.lookup(name) else { throw Failure("\(name) is not available") }
        do throws(LoopError) {
            return Output(Self.json(try interpreter.call(function, args, named: named)))
        } catch {
            throw Failure(error.message)
        }
    }

    /// A `.loop` value as JSON: records as objects, lists as arrays, handles by their summary
    /// (a recall hit and a skill print as what they are).
    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .nil: return .null
        case .list(let items): return .array(items.map(json))
        case .record(let r): return .object(Dictionary(r.fields.map { ($0.key, json($0.value)) }, uniquingKeysWith: { a, _ in a }))
        case .handle(let h):
            // A host object (a recall hit, a skill) as the object of its properties.
            var object: [String: JSONValue] = [:]
            for (name, member) in h.type.members {
                if case .property(_, let get) = member, let v = try? get(h.object) { object[name] = json(v) }
            }
            return object.isEmpty ? .string(Printer.display(value)) : .object(object)
        default: return ResearchValues.json(value) ?? .string(Printer.display(value))
        }
    }
}

/// A tool call's arguments, checked against the tool's schema: unknown names are refused (a
/// misspelt option must not be silently ignored), and each read names the argument it wants.
struct Arguments {
    let tool: Toolbox.Tool
    let values: [String: JSONValue]

    init(tool: Toolbox.Tool, values: [String: JSONValue]) throws(Toolbox.Failure) {
        self.tool = tool
        self.values = values
        let known = tool.inputSchema["properties"]?.objectValue ?? [:]
        for key in values.keys.sorted() where known[key] == nil {
            let names = known.keys.sorted().joined(separator: ", ")
            throw Toolbox.Failure("\(tool.name): unknown argument '\(key)'" + NameSuggestions.clause(for: key, in: known.keys)
                                  + (names.isEmpty ? " (it takes none)" : " (it takes: \(names))"))
        }
        for case .string(let required) in tool.inputSchema["required"]?.arrayValue ?? [] where values[required] == nil || values[required] == .null {
            throw Toolbox.Failure("\(tool.name): missing required argument '\(required)'")
        }
    }

    func study() throws(Toolbox.Failure) -> String { try string("study") }

    func string(_ name: String) throws(Toolbox.Failure) -> String {
        guard let s = try optionalString(name) else { throw Toolbox.Failure("\(tool.name): missing required argument '\(name)'") }
        return s
    }

    func optionalString(_ name: String) throws(Toolbox.Failure) -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw Toolbox.Failure("\(tool.name): '\(name)' must be a string, got \(other.serialized())")
        }
    }

    func int(_ name: String, in range: ClosedRange<Int> = 0...Int.max) throws(Toolbox.Failure) -> Int? {
        switch values[name] {
        case nil, .null?: return nil
        case let v?:
            // JSON numbers arrive as doubles: beyond 2^53 they are no longer exact integers.
            let exact = 9_007_199_254_740_992
            guard let d = v.doubleValue, d == d.rounded(), abs(d) <= Double(exact), range.contains(Int(d)) else {
                throw Toolbox.Failure("\(tool.name): '\(name)' must be an integer in \(range.lowerBound)...\(min(range.upperBound, exact)), got \(v.serialized())")
            }
            return Int(d)
        }
    }

    func number(_ name: String) throws(Toolbox.Failure) -> Double? {
        switch values[name] {
        case nil, .null?: return nil
        case let v?:
            guard let d = v.doubleValue, d.isFinite else { throw Toolbox.Failure("\(tool.name): '\(name)' must be a finite number, got \(v.serialized())") }
            return d
        }
    }

    func object(_ name: String) throws(Toolbox.Failure) -> [String: JSONValue]? {
        switch values[name] {
        case nil, .null?: return nil
        case .object(let o)?: return o
        case let other?: throw Toolbox.Failure("\(tool.name): '\(name)' must be an object, got \(other.serialized())")
        }
    }

    func strings(_ name: String) throws(Toolbox.Failure) -> [String] {
        switch values[name] {
        case nil, .null?: return []
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw Toolbox.Failure("\(tool.name): '\(name)' must be a list of strings") }
                out.append(s)
            }
            return out
        case let other?: throw Toolbox.Failure("\(tool.name): '\(name)' must be a list of strings, got \(other.serialized())")
        }
    }

    /// `metrics`: an object of numbers (JSON has no NaN: an agent's NaN arrives as null and is
    /// refused here, where the message can name it; a run that diverged is told as
    /// `status: "diverged"`).
    func metrics(_ name: String = "metrics") throws(Toolbox.Failure) -> [String: Double] {
        guard let o = try object(name) else { return [:] }
        var out: [String: Double] = [:]
        for (key, v) in o {
            guard let d = v.doubleValue else { throw Toolbox.Failure("\(tool.name): metric '\(key)' must be a number, got \(v.serialized())") }
            out[key] = d
        }
        return out
    }
}
