/// A place that can be changed: a variable, then fields and indices (`b.xs[0]`).
struct Path {
    enum Root {
        case local(slot: Int, boxed: Bool)
        case capture(index: Int)
        case global(GlobalCell)
    }
    enum Step {
        case field(String)
        case index(Code)
    }
    enum Key {
        case field(String)
        case index(Value)
    }

    let root: Root
    let rootName: String
    let rootMutable: Bool
    let steps: [Step]
    let span: SourceSpan

    func keys(_ base: Frame) throws(LoopError) -> [Key] {
        var keys: [Key] = []
        for step in steps {
            switch step {
            case .field(let name): keys.append(.field(name))
            case .index(let code): keys.append(.index(try code(base)))
            }
        }
        return keys
    }

    /// The value at the end of the path, with index keys already evaluated by `keys(_:)`.
    func read(_ base: Frame, _ keys: [Key]) throws(LoopError) -> Value {
        var value = try withRoot(base) { (v: inout Value) throws(LoopError) -> Value in v }
        for key in keys {
            do throws(LoopError) {
                switch key {
                case .field(let name): value = try Members.get(value, name)
                case .index(let i): value = try Indexing.get(value, i)
                }
            } catch { throw error.located(span) }
        }
        return value
    }

    func withRoot<R>(_ base: Frame, _ body: (inout Value) throws(LoopError) -> R) throws(LoopError) -> R {
        switch root {
        case .local(let slot, let boxed):
            if boxed, case .cell(let c) = base[slot] { return try body(&c.value) }
            return try body(&base[slot])
        case .capture(let index):
            let c = Runtime.captures(of: base)[index]
            return try body(&c.value)
        case .global(let cell):
            guard cell.defined else { throw LoopError(.uninitialized(rootName), at: span) }
            return try body(&cell.value)
        }
    }

    /// Runs `body` on the value at the end of the path, in place.
    func modify<R>(_ base: Frame, _ body: (inout Value) throws(LoopError) -> R) throws(LoopError) -> R {
        try modify(base, try keys(base), body)
    }

    func modify<R>(_ base: Frame, _ keys: [Key], _ body: (inout Value) throws(LoopError) -> R) throws(LoopError) -> R {
        try withRoot(base) { (root: inout Value) throws(LoopError) -> R in
            do throws(LoopError) { return try Path.walk(&root, keys[...], body) } catch { throw error.located(span) }
        }
    }

    static func walk<R>(_ value: inout Value, _ keys: ArraySlice<Key>, _ body: (inout Value) throws(LoopError) -> R) throws(LoopError) -> R {
        guard let key = keys.first else { return try body(&value) }
        let rest = keys.dropFirst()
        switch (value, key) {
        case (.record, .field(let k)), (.record, .index(.string(let k))):
            return try value.withRecord { (fields: inout OrderedFields) throws(LoopError) -> R in
                guard let i = fields.index(forKey: k) else { throw LoopError(.missingField(k), unknown: k, among: fields.keys) }
                return try walk(&fields.values[i], rest, body)
            }!
        case (.list(let items), .index(.int(let i))):
            let j = try Indexing.normalize(i, count: items.count)
            return try value.withList { (items: inout [Value]) throws(LoopError) -> R in try walk(&items[j], rest, body) }!
        case (_, .field(let k)):
            throw cannotChange(value, member: k)
        case (_, .index(let i)):
            throw cannotChange(value, index: i)
        }
    }

    /// Sets the child `key` of `parent`, adding a record field when it is missing.
    static func set(_ parent: inout Value, _ key: Key, _ newValue: Value) throws(LoopError) {
        switch (parent, key) {
        case (.record, .field(let k)), (.record, .index(.string(let k))):
            _ = try parent.withRecord { (fields: inout OrderedFields) throws(LoopError) in fields[k] = newValue }
        case (.list(let items), .index(.int(let i))):
            let j = try Indexing.normalize(i, count: items.count)
            _ = try parent.withList { (items: inout [Value]) throws(LoopError) in items[j] = newValue }
        case (_, .field(let k)):
            throw cannotChange(parent, member: k)
        case (_, .index(let i)):
            throw cannotChange(parent, index: i)
        }
    }

    static func cannotChange(_ value: Value, member: String) -> LoopError {
        if case .handle = value { return LoopError(.invalidValue("cannot assign to member '\(member)' of a \(value.typeName)")) }
        return LoopError(.noMember(type: value.typeName, member: member))
    }

    static func cannotChange(_ value: Value, index: Value) -> LoopError {
        if case .string = value { return LoopError(.invalidValue("strings cannot be changed in place; build a new one")) }
        return LoopError(.badIndex(container: value.typeName, index: index.typeName))
    }
}

import OrderedCollections
typealias OrderedFields = OrderedDictionary<String, Value>

extension Compiler {
    /// The path for an assignable expression, or nil when it is not one (`f().x`).
    func compilePath(_ expr: Expr) throws(LoopError) -> Path? {
        switch expr.kind {
        case .identifier(let name):
            guard let resolved = resolve(name) else { throw undefined(name, at: expr.span) }
            switch resolved {
            case .local(let local):
                return Path(root: .local(slot: local.slot, boxed: local.boxed), rootName: name, rootMutable: local.mutable, steps: [], span: expr.span)
            case .capture(let index, let mutable):
                return Path(root: .capture(index: index), rootName: name, rootMutable: mutable, steps: [], span: expr.span)
            case .global(let cell):
                return Path(root: .global(cell), rootName: name, rootMutable: cell.mutable, steps: [], span: expr.span)
            case .builtin:
                return nil
            }
        case .member(let object, let name):
            guard let parent = try compilePath(object) else { return nil }
            return Path(root: parent.root, rootName: parent.rootName, rootMutable: parent.rootMutable,
                        steps: parent.steps + [.field(name)], span: expr.span)
        case .index(let object, let index):
            guard let parent = try compilePath(object) else { return nil }
            let code = try compileExpr(index)
            return Path(root: parent.root, rootName: parent.rootName, rootMutable: parent.rootMutable,
                        steps: parent.steps + [.index(code)], span: expr.span)
        default:
            return nil
        }
    }

    func compileAssignment(target: Expr, op: BinaryOp?, value valueExpr: Expr, span: SourceSpan) throws(LoopError) -> Code {
        let value = try compileExpr(valueExpr)
        guard let path = try compilePath(target) else {
            if case .identifier(let name) = target.kind { throw LoopError(.assignToConstant(name), at: target.span) }
            throw LoopError(.invalidAssignmentTarget, at: target.span)
        }
        guard path.rootMutable else { throw LoopError(.assignToConstant(path.rootName), at: target.span) }
        let targetSpan = target.span
        @inline(__always) func combine(_ old: Value, _ new: Value) throws(LoopError) -> Value {
            guard let op else { return new }
            if op == .add, case .float(let a) = old, case .float(let b) = new { return .float(a + b) }
            if op == .add, case .int(let a) = old, case .int(let b) = new {
                let (s, o) = a.addingReportingOverflow(b)
                if !o { return .int(s) }
            }
            do throws(LoopError) { return try Arithmetic.binary(op, old, new) } catch { throw error.located(span) }
        }
        if path.steps.isEmpty {
            // Plain variables: the hot case (`i += 1`, `acc += x`).
            switch path.root {
            case .local(let slot, false):
                if op == nil { return { base throws(LoopError) in base[slot] = try value(base); return .nil } }
                if op == .add, case .float(let k) = valueExpr.kind {
                    return { base throws(LoopError) in
                        if case .float(let x) = base[slot] { base[slot] = .float(x + k); return .nil }
                        base[slot] = try combine(base[slot], .float(k))
                        return .nil
                    }
                }
                if op == .add, case .int(let k) = valueExpr.kind {
                    return { base throws(LoopError) in
                        if case .int(let x) = base[slot] {
                            let (r, o) = x.addingReportingOverflow(k)
                            if !o { base[slot] = .int(r); return .nil }
                        }
                        base[slot] = try combine(base[slot], .int(k))
                        return .nil
                    }
                }
                return { base throws(LoopError) in
                    let new = try value(base)
                    base[slot] = try combine(base[slot], new)
                    return .nil
                }
            case .global(let cell):
                // `acc += 0.5`, `i += 1` at the top level of a script.
                if op == .add, case .float(let k) = valueExpr.kind {
                    return { base throws(LoopError) in
                        if case .float(let x) = cell.value { cell.value = .float(x + k); return .nil }
                        guard cell.defined else { throw LoopError(.uninitialized(cell.name), at: targetSpan) }
                        cell.value = try combine(cell.value, .float(k))
                        return .nil
                    }
                }
                if op == .add, case .int(let k) = valueExpr.kind {
                    return { base throws(LoopError) in
                        if case .int(let x) = cell.value {
                            let (r, o) = x.addingReportingOverflow(k)
                            if !o { cell.value = .int(r); return .nil }
                        }
                        guard cell.defined else { throw LoopError(.uninitialized(cell.name), at: targetSpan) }
                        cell.value = try combine(cell.value, .int(k))
                        return .nil
                    }
                }
                return { base throws(LoopError) in
                    let new = try value(base)
                    guard cell.defined else { throw LoopError(.uninitialized(cell.name), at: targetSpan) }
                    cell.value = try combine(cell.value, new)
                    return .nil
                }
            default:
                return { base throws(LoopError) in
                    let new = try value(base)
                    try path.withRoot(base) { (v: inout Value) throws(LoopError) in v = try combine(v, new) }
                    return .nil
                }
            }
        }
        let parentPath = Path(root: path.root, rootName: path.rootName, rootMutable: true, steps: Array(path.steps.dropLast()), span: path.span)
        let lastStep = path.steps.last!
        return { base throws(LoopError) in
            let new = try value(base)
            let key: Path.Key
            switch lastStep {
            case .field(let name): key = .field(name)
            case .index(let code): key = .index(try code(base))
            }
            try parentPath.modify(base) { (parent: inout Value) throws(LoopError) in
                if op == nil {
                    try Path.set(&parent, key, new)
                } else {
                    let old: Value
                    switch key {
                    case .field(let name): old = try Members.get(parent, name)
                    case .index(let i): old = try Indexing.get(parent, i)
                    }
                    try Path.set(&parent, key, try combine(old, new))
                }
            }
            return .nil
        }
    }
}
