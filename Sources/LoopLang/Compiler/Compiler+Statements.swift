extension Compiler {
    struct Compiled {
        let code: Code
        /// True when running it may leave `break`, `continue` or `return` pending.
        let mayUnwind: Bool
    }

    func compileStatement(_ stmt: Stmt) throws(LoopError) -> Compiled {
        let rt = self.rt
        switch stmt.kind {
        case .expression(let e):
            return Compiled(code: try compileExpr(e), mayUnwind: e.mayUnwind)

        case .declaration(let name, let mutable, let valueExpr, let nameSpan):
            let value = try compileExpr(valueExpr)
            if function.atModuleScope {
                let cell = module.cell(name, mutable: mutable)
                return Compiled(code: { base throws(LoopError) in
                    cell.value = try value(base)
                    cell.defined = true
                    return .nil
                }, mayUnwind: valueExpr.mayUnwind)
            }
            let local = try declareLocal(name, mutable: mutable, boxed: currentBlockBoxes, span: nameSpan)
            let slot = local.slot
            if local.boxed {
                return Compiled(code: { base throws(LoopError) in
                    base[slot] = .cell(Cell(try value(base)))
                    return .nil
                }, mayUnwind: valueExpr.mayUnwind)
            }
            return Compiled(code: { base throws(LoopError) in
                base[slot] = try value(base)
                return .nil
            }, mayUnwind: valueExpr.mayUnwind)

        case .function(let decl):
            let name = decl.name ?? "<fn>"
            if function.atModuleScope {
                // Top-level functions are hoisted by compileProgram; nothing to do here.
                let cell = module.cell(name, mutable: false)
                let make = try compileFunction(decl)
                return Compiled(code: { base throws(LoopError) in
                    cell.value = try make(base)
                    cell.defined = true
                    return .nil
                }, mayUnwind: false)
            }
            // A local function can call itself: declare its (boxed) name before compiling it.
            let local = try declareLocal(name, mutable: false, boxed: true, span: decl.nameSpan)
            let slot = local.slot
            let make = try compileFunction(decl)
            return Compiled(code: { base throws(LoopError) in
                let cell = Cell(.nil)
                base[slot] = .cell(cell)
                cell.value = try make(base)
                return .nil
            }, mayUnwind: false)

        case .assign(let target, let op, let valueExpr):
            return Compiled(code: try compileAssignment(target: target, op: op, value: valueExpr, span: stmt.span),
                            mayUnwind: valueExpr.mayUnwind)

        case .while(let conditionExpr, let body):
            let loopSpan = conditionExpr.span
            let condition = try compileCondition(conditionExpr)
            function.loopDepth += 1
            let block = try compileBlock(body)
            function.loopDepth -= 1
            let bodyCode = block.code
            if !block.mayUnwind {
                return Compiled(code: { base throws(LoopError) in
                    while try condition(base) {
                        try Interrupt.check(at: loopSpan)
                        _ = try bodyCode(base)
                    }
                    return .nil
                }, mayUnwind: false)
            }
            return Compiled(code: { base throws(LoopError) in
                while try condition(base) {
                    try Interrupt.check(at: loopSpan)
                    _ = try bodyCode(base)
                    if rt.unwind != .none {
                        if rt.unwind == .returning { break }
                        let stop = rt.unwind == .breakLoop
                        rt.unwind = .none
                        if stop { break }
                    }
                }
                return .nil
            }, mayUnwind: true)

        case .for(let names, let sequence, let body, let nameSpans):
            return try compileFor(names: names, nameSpans: nameSpans, sequence: sequence, body: body)

        case .break, .continue:
            let isBreak: Bool = { if case .break = stmt.kind { return true } else { return false } }()
            guard function.loopDepth > 0 else { throw LoopError(.outsideLoop(isBreak ? "break" : "continue"), at: stmt.span) }
            let flag: Unwind = isBreak ? .breakLoop : .continueLoop
            return Compiled(code: { _ in rt.unwind = flag; return .nil }, mayUnwind: true)

        case .return(let valueExpr):
            guard !function.isTopLevel else { throw LoopError(.returnOutsideFunction, at: stmt.span) }
            let value: Code = try valueExpr.map { e throws(LoopError) in try compileExpr(e) } ?? { _ in .nil }
            return Compiled(code: { base throws(LoopError) in
                rt.returnValue = try value(base)
                rt.unwind = .returning
                return .nil
            }, mayUnwind: true)

        case .use(let path, let alias):
            return Compiled(code: try compileUse(path: path, alias: alias, span: stmt.span), mayUnwind: false)
        }
    }

    /// Whether locals declared in the block being compiled must live in cells (because a closure
    /// inside the block may capture them).
    var currentBlockBoxes: Bool {
        get { boxing.last ?? false }
    }

    func compileBlock(_ block: Block, boxes: Bool? = nil) throws(LoopError) -> Compiled {
        pushScope()
        boxing.append(boxes ?? block.containsFunction)
        defer {
            boxing.removeLast()
            popScope()
        }
        return try compileStatements(block.statements)
    }

    /// A sequence of statements whose value is the last one's, when that one is an expression.
    func compileStatements(_ statements: [Stmt]) throws(LoopError) -> Compiled {
        let rt = self.rt
        var compiled: [Compiled] = []
        for s in statements { compiled.append(try compileStatement(s)) }
        let lastIsValue: Bool = {
            guard let last = statements.last else { return false }
            if case .expression = last.kind { return true }
            return false
        }()
        let mayUnwind = compiled.contains { $0.mayUnwind }
        guard let last = compiled.last else { return Compiled(code: { _ in .nil }, mayUnwind: false) }
        // Chain the statements as nested closures that capture each other directly: iterating
        // an array of closures would retain and release each one on every run.
        let lastCode = last.code
        var code: Code = lastIsValue ? lastCode : { base throws(LoopError) in _ = try lastCode(base); return .nil }
        for item in compiled.dropLast().reversed() {
            let first = item.code, rest = code
            if item.mayUnwind {
                code = { base throws(LoopError) in
                    _ = try first(base)
                    if rt.unwind != .none { return .nil }
                    return try rest(base)
                }
            } else {
                code = { base throws(LoopError) in
                    _ = try first(base)
                    return try rest(base)
                }
            }
        }
        return Compiled(code: code, mayUnwind: mayUnwind)
    }
}
