/// Compiles the syntax tree to a tree of Swift closures ("closure compilation"): names are
/// resolved once, to frame slots, captured cells or global cells, so running code never looks a
/// name up. See docs/architecture.md for why this beats a bytecode loop in Swift.
final class Compiler {
    let rt: Runtime
    let module: Module
    /// Built-in names (natives, constants, the prelude), below the module's globals.
    let builtins: [String: Value]
    /// REPL cells may redeclare top-level names; scripts may not.
    let allowRedeclaration: Bool
    let loader: ModuleLoader?
    var function: FunctionState
    /// Per open block: do its locals live in cells (a closure inside may capture them)?
    var boxing: [Bool] = []
    /// How many `try` bodies enclose the code being compiled: a call to a primitive there is not
    /// checked before running, so its argument error stays catchable as the program asked.
    var tryDepth = 0

    init(rt: Runtime, module: Module, builtins: [String: Value], allowRedeclaration: Bool, loader: ModuleLoader?, file: SourceFile) {
        self.rt = rt
        self.module = module
        self.builtins = builtins
        self.allowRedeclaration = allowRedeclaration
        self.loader = loader
        self.function = FunctionState(parent: nil, name: "<top level>", file: file)
    }

    // MARK: scopes

    final class Local {
        let name: String
        let slot: Int
        let mutable: Bool
        let boxed: Bool
        init(name: String, slot: Int, mutable: Bool, boxed: Bool) {
            self.name = name; self.slot = slot; self.mutable = mutable; self.boxed = boxed
        }
    }

    final class FunctionState {
        let parent: FunctionState?
        let name: String
        let file: SourceFile
        var scopes: [[String: Local]] = [[:]]
        var nextSlot = 1
        var maxSlot = 1
        var captures: [(name: String, source: CaptureSource, mutable: Bool)] = []
        var loopDepth = 0
        init(parent: FunctionState?, name: String, file: SourceFile) {
            self.parent = parent; self.name = name; self.file = file
        }
        var isTopLevel: Bool { parent == nil }
        /// At the top level of a file, outside any block: declarations there are globals.
        var atModuleScope: Bool { parent == nil && scopes.count == 1 }
    }

    enum Resolved {
        case local(Local)
        case capture(index: Int, mutable: Bool)
        case global(GlobalCell)
        case builtin(Value)
    }

    func pushScope() { function.scopes.append([:]) }

    func popScope() {
        let scope = function.scopes.removeLast()
        function.nextSlot -= scope.count
    }

    func declareLocal(_ name: String, mutable: Bool, boxed: Bool, span: SourceSpan) throws(LoopError) -> Local {
        if function.scopes[function.scopes.count - 1][name] != nil {
            throw LoopError(.redeclared(name), at: span)
        }
        let local = Local(name: name, slot: function.nextSlot, mutable: mutable, boxed: boxed)
        function.nextSlot += 1
        function.maxSlot = max(function.maxSlot, function.nextSlot)
        function.scopes[function.scopes.count - 1][name] = local
        return local
    }

    func resolve(_ name: String) -> Resolved? {
        if let r = resolve(name, in: function) { return r }
        if let cell = module.globals[name] { return .global(cell) }
        if let value = builtins[name] { return .builtin(value) }
        return nil
    }

    /// `name` could not be resolved: the error, suggesting the visible names close to it.
    func undefined(_ name: String, at span: SourceSpan) -> LoopError {
        var visible: [String] = []
        var state: FunctionState? = function
        while let s = state {
            for scope in s.scopes { visible += scope.keys }
            visible += s.captures.map(\.name)
            state = s.parent
        }
        visible += module.globals.keys
        visible += builtins.keys
        return LoopError(.undefinedVariable(name), at: span, unknown: name, among: visible)
    }

    /// Locals of `state`, then of enclosing functions (recording captures on the way).
    private func resolve(_ name: String, in state: FunctionState) -> Resolved? {
        for scope in state.scopes.reversed() {
            if let local = scope[name] { return .local(local) }
        }
        if let i = state.captures.firstIndex(where: { $0.name == name }) {
            return .capture(index: i, mutable: state.captures[i].mutable)
        }
        guard let parent = state.parent else { return nil }
        switch resolve(name, in: parent) {
        case .local(let local)?:
            state.captures.append((name, .parentLocal(slot: local.slot), local.mutable))
            return .capture(index: state.captures.count - 1, mutable: local.mutable)
        case .capture(let index, let mutable)?:
            state.captures.append((name, .parentCapture(index: index), mutable))
            return .capture(index: state.captures.count - 1, mutable: mutable)
        default:
            return nil
        }
    }

    // MARK: programs

    /// Compiles a file or cell. Top-level names are declared first, so functions may refer to
    /// each other (and to later globals) in any order.
    func compileProgram(_ program: Program) throws(LoopError) -> Code {
        var declared: Set<String> = []
        var functionDecls: [(GlobalCell, FunctionDecl)] = []
        for stmt in program.statements {
            let names: [(String, Bool, SourceSpan)]
            switch stmt.kind {
            case .declaration(let name, let mutable, _, let nameSpan): names = [(name, mutable, nameSpan)]
            case .function(let decl): names = [(decl.name ?? "", false, decl.nameSpan)]
            case .use(_, let alias?): names = [(alias, false, stmt.span)]
            default: names = []
            }
            for (name, mutable, span) in names {
                if !allowRedeclaration, declared.contains(name) || (module.globals[name]?.defined ?? false) {
                    throw LoopError(.redeclared(name), at: span)
                }
                declared.insert(name)
                let cell = module.cell(name, mutable: mutable)
                // `_name`s are the file's own: `use` does not bring them in.
                if !mutable, !name.hasPrefix("_"), !module.exports.contains(name) { module.exports.append(name) }
                if case .function(let decl) = stmt.kind { functionDecls.append((cell, decl)) }
            }
        }
        // `use` without `as` declares names too: load those modules first, so that function
        // bodies can call what the file uses.
        var usedEarly: [Int: Code] = [:]
        for (i, stmt) in program.statements.enumerated() {
            if case .use(let path, nil) = stmt.kind { usedEarly[i] = try compileUse(path: path, alias: nil, span: stmt.span) }
        }
        // Function declarations are made before any statement runs.
        var hoisted: [(cell: GlobalCell, make: CodeRef)] = []
        for (cell, decl) in functionDecls { hoisted.append((cell, CodeRef(run: try compileFunction(decl)))) }
        var statements: [Compiled] = []
        for (i, stmt) in program.statements.enumerated() {
            if case .function = stmt.kind { continue }
            if let code = usedEarly[i] {
                statements.append(Compiled(code: code, mayUnwind: false))
                continue
            }
            statements.append(try compileStatement(stmt))
        }
        let lastIsValue: Bool = {
            guard let last = program.statements.last else { return false }
            if case .expression = last.kind { return true }
            return false
        }()
        module.frameSize = function.maxSlot
        let body = statements
        return { base throws(LoopError) in
            for h in hoisted {
                h.cell.value = try h.make.run(base)
                h.cell.defined = true
            }
            var result = Value.nil
            for s in body { result = try s.code(base) }
            return lastIsValue ? result : .nil
        }
    }
}
