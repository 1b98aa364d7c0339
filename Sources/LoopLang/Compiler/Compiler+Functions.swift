extension Compiler {
    /// Compiles a function's body in a new function state; returns code that makes the closure
    /// (capturing cells from the enclosing frame) when it runs.
    func compileFunction(_ decl: FunctionDecl) throws(LoopError) -> Code {
        let name = decl.name ?? "<fn>"
        let outer = function
        let savedBoxing = boxing
        function = FunctionState(parent: outer, name: name, file: decl.span.file)
        boxing = []
        defer {
            function = outer
            boxing = savedBoxing
        }
        let boxes = decl.body.containsFunction
        boxing.append(boxes)
        for p in decl.parameters {
            _ = try declareLocal(p.name, mutable: true, boxed: boxes, span: p.span)
        }
        // Defaults run in the callee's frame after the arguments are bound (before boxing), so
        // they are compiled as reads of unboxed parameters.
        boxing[0] = false
        var defaults: [CodeRef?] = []
        let saved = function.scopes
        function.scopes = [function.scopes[0].mapValues { Local(name: $0.name, slot: $0.slot, mutable: true, boxed: false) }]
        for p in decl.parameters { defaults.append(try p.defaultValue.map { e throws(LoopError) in CodeRef(run: try compileExpr(e)) }) }
        function.scopes = saved
        boxing[0] = boxes
        var body = try compileBlock(decl.body, boxes: boxes).code
        if decl.isSkill { body = rt.announcing(SkillCall(name: name, source: decl.source), body) }
        if let principal = module.principal { body = rt.runningAs(principal, body) }
        let proto = FunctionProto(name: name, parameterNames: decl.parameters.map(\.name), defaults: defaults,
                                  boxedParameters: boxes, body: body, frameSize: function.maxSlot,
                                  captures: function.captures.map(\.source), returns: decl.body.containsReturn, isSkill: decl.isSkill,
                                  doc: decl.doc, source: decl.source, span: decl.span)
        let captures = proto.captures
        if captures.isEmpty {
            return { _ in .function(Closure(proto: proto, captures: [])) }
        }
        return { base in
            var cells: [Cell] = []
            cells.reserveCapacity(captures.count)
            for source in captures {
                switch source {
                case .parentLocal(let slot):
                    if case .cell(let c) = base[slot] { cells.append(c) } else { cells.append(Cell(base[slot])) }
                case .parentCapture(let index):
                    cells.append(Runtime.captures(of: base)[index])
                }
            }
            return .function(Closure(proto: proto, captures: cells))
        }
    }

    func compileUse(path: String, alias: String?, span: SourceSpan) throws(LoopError) -> Code {
        guard function.atModuleScope else { throw LoopError(.useNotAtTopLevel, at: span) }
        guard let loader else { throw LoopError(.moduleNotFound(path: path, searched: []), at: span) }
        let used = try loader.load(path, from: span.file, span: span)
        let run = loader.runner(for: used)
        if let alias {
            let cell = module.cell(alias, mutable: false)
            return { _ throws(LoopError) in
                do throws(LoopError) { try run() } catch { throw error.located(span) }
                var fields = [(String, Value)]()
                for name in used.exports { fields.append((name, used.globals[name]?.value ?? .nil)) }
                cell.value = .record(Record(.init(uniqueKeysWithValues: fields)))
                cell.defined = true
                return .nil
            }
        }
        // A used file never silently shadows anything: not a built-in (a pack's `fn assert` would
        // make failing asserts pass), not a name the importer already has. `as` keeps both.
        for name in used.exports {
            if let existing = module.globals[name], existing !== used.globals[name] {
                throw LoopError(.useClash(name: name, module: path, existing: "already declared here"), at: span)
            }
            if builtins[name] != nil { throw LoopError(.useClash(name: name, module: path, existing: nil), at: span) }
        }
        for name in used.exports {
            module.globals[name] = used.globals[name]
            if !module.order.contains(name) { module.order.append(name) }
        }
        return { _ throws(LoopError) in
            do throws(LoopError) { try run() } catch { throw error.located(span) }
            return .nil
        }
    }
}
