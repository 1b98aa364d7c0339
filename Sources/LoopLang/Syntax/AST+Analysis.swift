/// Facts about syntax trees that the compiler needs before it emits code.
extension Expr {
    /// The expressions directly inside this one (not looking into function bodies).
    var children: [Expr] {
        switch kind {
        case .int, .float, .duration, .bool, .nil, .identifier, .function: return []
        case .string(let segments): return segments.compactMap { if case .code(let e) = $0 { e } else { nil } }
        case .list(let items): return items
        case .record(let entries): return entries.map(\.value)
        case .negate(let e), .not(let e), .member(let e, _): return [e]
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b), .range(let a, let b, _), .index(let a, let b):
            return [a, b]
        case .call(let callee, let args): return [callee] + args.map(\.value)
        case .block, .if, .try: return []
        }
    }

    /// Blocks directly inside this expression.
    var blocks: [Block] {
        switch kind {
        case .block(let b): return [b]
        case .if(_, let then, _): return [then]
        case .try(let body, _, let handler): return [body, handler]
        default: return []
        }
    }

    /// Whether a `fn` expression or declaration occurs anywhere inside.
    var containsFunction: Bool {
        if case .function = kind { return true }
        if case .if(let c, _, let e) = kind, c.containsFunction || (e?.containsFunction ?? false) { return true }
        return children.contains { $0.containsFunction } || blocks.contains { $0.containsFunction }
    }

    /// Whether running it may leave a `break`, `continue` or `return` pending (not counting
    /// those inside nested functions or, for break/continue, nested loops).
    var mayUnwind: Bool {
        if case .if(let c, _, let e) = kind, c.mayUnwind || (e?.mayUnwind ?? false) { return true }
        return children.contains { $0.mayUnwind } || blocks.contains { $0.mayUnwind }
    }
}

extension Block {
    var containsFunction: Bool { statements.contains { $0.containsFunction } }
    var mayUnwind: Bool { statements.contains { $0.mayUnwind } }
}

extension Stmt {
    var containsFunction: Bool {
        switch kind {
        case .function: return true
        case .expression(let e), .declaration(_, _, let e, _): return e.containsFunction
        case .assign(let t, _, let v): return t.containsFunction || v.containsFunction
        case .while(let c, let b), .for(_, let c, let b, _): return c.containsFunction || b.containsFunction
        case .return(let e): return e?.containsFunction ?? false
        case .break, .continue, .use: return false
        }
    }

    var mayUnwind: Bool {
        switch kind {
        case .break, .continue, .return: return true
        case .expression(let e), .declaration(_, _, let e, _): return e.mayUnwind
        case .assign(let t, _, let v): return t.mayUnwind || v.mayUnwind
        // A loop consumes break/continue, but a `return` inside still escapes it.
        case .while(let c, let b), .for(_, let c, let b, _): return c.mayUnwind || b.containsReturn
        case .function, .use: return false
        }
    }

    var containsReturn: Bool {
        switch kind {
        case .return: return true
        case .break, .continue, .function, .use: return false
        case .expression(let e), .declaration(_, _, let e, _): return e.containsReturn
        case .assign(let t, _, let v): return t.containsReturn || v.containsReturn
        case .while(let c, let b), .for(_, let c, let b, _): return c.containsReturn || b.containsReturn
        }
    }
}

extension Block {
    var containsReturn: Bool { statements.contains { $0.containsReturn } }
}

extension Expr {
    var containsReturn: Bool {
        if case .if(let c, _, let e) = kind, c.containsReturn || (e?.containsReturn ?? false) { return true }
        return children.contains { $0.containsReturn } || blocks.contains { $0.containsReturn }
    }
}

extension Program {
    /// The span of the first expression that sits deeper than `limit` levels in the tree
    /// (counting statements, blocks and sub-expressions), or nil. Found with an explicit stack:
    /// the tree may be far deeper than the parser's nesting limit, because chains such as
    /// `1 + 1 + ...` or `a.b.c...` grow it without any bracket.
    func firstTooDeep(limit: Int) -> SourceSpan? {
        enum Node { case expr(Expr), stmt(Stmt), block(Block) }
        var pending: [(Node, Int)] = statements.map { (.stmt($0), 1) }
        while let (node, depth) = pending.popLast() {
            switch node {
            case .expr(let e):
                if depth > limit { return e.span }
                for child in e.children { pending.append((.expr(child), depth + 1)) }
                for block in e.blocks { pending.append((.block(block), depth + 1)) }
                switch e.kind {
                case .if(let condition, _, let otherwise):
                    pending.append((.expr(condition), depth + 1))
                    if let otherwise { pending.append((.expr(otherwise), depth + 1)) }
                case .function(let decl):
                    pending.append((.block(decl.body), depth + 1))
                    for p in decl.parameters { if let d = p.defaultValue { pending.append((.expr(d), depth + 1)) } }
                default: break
                }
            case .stmt(let s):
                switch s.kind {
                case .expression(let e), .declaration(_, _, let e, _): pending.append((.expr(e), depth + 1))
                case .assign(let target, _, let value): pending += [(.expr(target), depth + 1), (.expr(value), depth + 1)]
                case .while(let c, let b), .for(_, let c, let b, _): pending += [(.expr(c), depth + 1), (.block(b), depth + 1)]
                case .return(let e?): pending.append((.expr(e), depth + 1))
                case .function(let decl):
                    pending.append((.block(decl.body), depth + 1))
                    for p in decl.parameters { if let d = p.defaultValue { pending.append((.expr(d), depth + 1)) } }
                case .return(nil), .break, .continue, .use: break
                }
            case .block(let b):
                for s in b.statements { pending.append((.stmt(s), depth + 1)) }
            }
        }
        return nil
    }
}
