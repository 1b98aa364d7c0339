import Glibc

/// Runs `.loop` code: scripts (`run`), REPL cells in a persistent session (`evaluate`), and
/// name checking without running (`check`). Not thread-safe; call it from one thread, inside
/// `Interpreter.onLargeStack`.
public final class Interpreter {
    public let registry: Registry
    public var output: OutputSink
    /// Where `use` looks after the current file's directory: project skills, user skills, stdlib.
    public var librarySearchPath: [String]
    /// The host's resolver for `use`, tried for names that are not files beside the using file
    /// (and always for `name@requirement`). Returning nil falls back to the search path.
    public var moduleResolver: ((UseRequest) throws(LoopError) -> ResolvedModule?)?
    /// Called each time a `skill` starts running (the host records skill use as evidence).
    public var skillObserver: ((SkillCall) -> Void)?
    /// Host objects that live as long as this interpreter, one per type (see `attachment`).
    private var attachments: [ObjectIdentifier: AnyObject] = [:]
    let runtime = Runtime()
    lazy var loader = ModuleLoader(interpreter: self)
    private(set) var session = Module(name: "<session>")
    /// Natives, constants and prelude functions: the names every file sees.
    private(set) var builtins: [String: Value]
    private var preludeNames: [String] = []

    public init(registry: Registry = .core(), output: OutputSink = StandardOutput(),
                stdlibDirectory: String? = nil, projectDirectory: String? = nil, userSkillsDirectory: String? = nil) {
        self.registry = registry
        self.output = output
        self.builtins = registry.globals
        var path: [String] = []
        if let projectDirectory { path.append(FileSystem.join(projectDirectory, "skills")) }
        if let userSkillsDirectory { path.append(userSkillsDirectory) }
        if let stdlibDirectory { path.append(stdlibDirectory) }
        self.librarySearchPath = path
        runtime.interpreter = self
        for setup in registry.interpreterSetups { setup(self) }
        if let stdlibDirectory { loadPrelude(FileSystem.join(stdlibDirectory, "prelude.loop")) }
    }

    /// stdlib/prelude.loop: the part of the core library written in `.loop`.
    private func loadPrelude(_ path: String) {
        guard let text = try? FileSystem.read(path) else { return }
        let module = Module(name: "prelude")
        do throws(LoopError) {
            let code = try compile(SourceFile(name: "prelude.loop", text: text, path: path), into: module, allowRedeclaration: false)
            _ = try runTopLevel(code, frameSize: module.frameSize)
        } catch {
            output.write(DiagnosticRenderer.render(error))
            return
        }
        for name in module.order where !name.hasPrefix("_") {
            if let cell = module.globals[name], cell.defined {
                builtins[name] = cell.value
                preludeNames.append(name)
            }
        }
    }

    /// Keeps a host object with this interpreter, replacing any earlier one of the same type:
    /// per-interpreter host state (a policy, a skill library) that native functions reach
    /// through `call.interpreter.attachment(...)`.
    public func attach<T: AnyObject>(_ object: T) { attachments[ObjectIdentifier(T.self)] = object }

    public func attachment<T: AnyObject>(_ type: T.Type) -> T? { attachments[ObjectIdentifier(type)] as? T }

    // MARK: running code

    func compile(_ file: SourceFile, into module: Module, allowRedeclaration: Bool) throws(LoopError) -> Code {
        do throws(LoopError) {
            let program = try Parser.parse(file)
            let compiler = Compiler(rt: runtime, module: module, builtins: builtins, allowRedeclaration: allowRedeclaration,
                                    loader: loader, file: file)
            return try compiler.compileProgram(program)
        } catch {
            // Errors raised while a used module runs at compile time are not static; all others are.
            if case .circularUse = error.problem {} else if error.trace.isEmpty { error.isStatic = true }
            throw error
        }
    }

    /// Runs compiled top-level code in a fresh frame on the value stack.
    func runTopLevel(_ code: Code, frameSize: Int) throws(LoopError) -> Value {
        let rt = runtime
        let base = rt.top
        try rt.reserve(base + frameSize)
        rt.top = base + frameSize
        defer {
            base.update(repeating: .nil, count: max(frameSize, rt.top - base))
            rt.top = base
        }
        return try code(base)
    }

    /// Runs a whole file as a script in its own scope. Redeclaring a top-level name is an error.
    /// With a principal, the whole file runs as it (a pack's tests, run at install).
    @discardableResult
    public func run(_ file: SourceFile, as principal: Principal? = nil) throws(LoopError) -> Value {
        let module = Module(name: file.name)
        module.principal = principal
        if let path = file.path { loader.setPrincipal(principal, for: path) }
        let code = try compile(file, into: module, allowRedeclaration: false)
        return try execute(principal.map { runtime.runningAs($0, code) } ?? code, frameSize: module.frameSize)
    }

    /// Evaluates a REPL cell in the session: its names persist, and it may redeclare them.
    @discardableResult
    public func evaluate(_ file: SourceFile) throws(LoopError) -> Value {
        let before = Set(session.globals.keys)
        let code: Code
        do throws(LoopError) {
            code = try compile(file, into: session, allowRedeclaration: true)
        } catch {
            // A cell that does not compile declares nothing.
            for name in session.globals.keys where !before.contains(name) {
                session.globals[name] = nil
                session.order.removeAll { $0 == name }
            }
            throw error
        }
        return try execute(code, frameSize: session.frameSize)
    }

    private func execute(_ code: Code, frameSize: Int) throws(LoopError) -> Value {
        do throws(LoopError) {
            let value = try runTopLevel(code, frameSize: frameSize)
            output.flush()
            return value
        } catch {
            output.flush()
            runtime.resetAfterError()
            throw error
        }
    }

    /// Parses the file and resolves every name, without running anything.
    public func check(_ file: SourceFile) throws(LoopError) {
        _ = try compile(file, into: Module(name: file.name), allowRedeclaration: false)
    }

    /// True when `source` is fine so far but ends inside an unfinished construct (an open
    /// bracket or block, a trailing operator, an unterminated `"""`): the REPL reads more.
    public static func isIncomplete(_ source: String) -> Bool {
        do throws(LoopError) {
            _ = try Parser.parse(SourceFile(name: "<input>", text: source))
            return false
        } catch {
            return error.isIncompleteInput
        }
    }

    /// Calls a function value (a `.loop` closure or a native) with positional arguments.
    public func call(_ f: Value, _ args: [Value], named: [(String, Value)] = []) throws(LoopError) -> Value {
        try runtime.call(f, args, named: named, callSite: nil)
    }

    // MARK: the session (REPL)

    /// Defines or replaces a session variable (the REPL's `_` and `_N`).
    public func define(_ name: String, _ value: Value) {
        let cell = session.cell(name, mutable: false)
        cell.value = value
        cell.defined = true
    }

    /// Names the user defined in the session, in the order they were first defined.
    public var sessionNames: [String] {
        session.order.filter { session.globals[$0]?.defined ?? false }
    }

    public func lookup(_ name: String) -> Value? {
        if let cell = session.globals[name], cell.defined { return cell.value }
        return builtins[name]
    }

    /// Everything a name could complete to: session names and built-ins.
    public var completionNames: [String] {
        var seen = Set<String>()
        return (sessionNames + registry.order + preludeNames + builtins.keys.sorted()).filter { seen.insert($0).inserted }
    }

    /// Built-in names (natives, constants, prelude), in registration order.
    public var builtinNames: [String] {
        var seen = Set<String>()
        return (registry.order + preludeNames).filter { seen.insert($0).inserted }
    }

    public func memberNames(of value: Value) -> [String] { Members.names(of: value) }

    /// `name(params)` and its documentation, for `:help name`.
    public func help(_ name: String) -> String? {
        guard let value = lookup(name) else { return nil }
        switch value {
        case .function(let f):
            var text = f.signatureText + "\n" + (f.doc ?? "(no documentation)")
            if let native = f as? NativeFunction {
                let documented = native.parameters.filter { !$0.doc.isEmpty }
                let width = documented.map(\.name.count).max() ?? 0
                for p in documented { text += "\n  " + p.name + String(repeating: " ", count: width - p.name.count + 2) + p.doc }
            }
            return text
        default:
            let doc = registry.docs[name].map { "\n" + $0 } ?? ""
            return "\(name): \(value.typeName) = \(Printer.repr(value))\(doc)"
        }
    }

    /// Forgets every session name.
    public func resetSession() {
        session = Module(name: "<session>")
        runtime.resetAfterError()
    }

    /// The record a `catch e` block sees.
    static func errorRecord(_ error: LoopError) -> Value {
        var fields = OrderedFields()
        fields["message"] = .string(error.message)
        fields["kind"] = .string(error.kind)
        fields["line"] = error.span.map { .int($0.line) } ?? .nil
        fields["column"] = error.span.map { .int($0.column) } ?? .nil
        fields["file"] = error.span.map { .string($0.file.name) } ?? .nil
        return .record(Record(fields))
    }

    // MARK: threads

    /// Runs `body` on a thread with a 1 GiB stack and waits for it. Deeply recursive `.loop`
    /// code is stopped by the interpreter's depth limit long before that stack runs out, so
    /// recursion is a clean "stack overflow" error and never a crash.
    public static func onLargeStack<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { body in
            var result: T? = nil
            let box = Box()
            box.run = { result = body() }
            var attr = pthread_attr_t()
            pthread_attr_init(&attr)
            pthread_attr_setstacksize(&attr, 1 << 30)
            var thread = pthread_t()
            let context = Unmanaged.passRetained(box).toOpaque()
            let rc = pthread_create(&thread, &attr, { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.run()
                return nil
            }, context)
            pthread_attr_destroy(&attr)
            if rc != 0 {
                Unmanaged<Box>.fromOpaque(context).release()
                return body()
            }
            pthread_join(thread, nil)
            return result!
        }
    }
}

private final class Box {
    var run: () -> Void = {}
}
