/// Fused forms of the hottest shapes in loops and recursion (`n < 2`, `i < n`, `n - 1`,
/// `acc + x`): operands that are unboxed locals or Int constants are read in place instead of
/// through their own compiled closures. Each shape is a generic function over the operator, so
/// the compiler emits one tight closure per (operator, shape).
protocol FusedComparison {
    static var op: BinaryOp { get }
    static func ints(_ a: Int, _ b: Int) -> Bool
    static func floats(_ a: Double, _ b: Double) -> Bool
}

enum LessThan: FusedComparison {
    static var op: BinaryOp { .less }
    @inline(__always) static func ints(_ a: Int, _ b: Int) -> Bool { a < b }
    @inline(__always) static func floats(_ a: Double, _ b: Double) -> Bool { a < b }
}
enum LessEqual: FusedComparison {
    static var op: BinaryOp { .lessEqual }
    @inline(__always) static func ints(_ a: Int, _ b: Int) -> Bool { a <= b }
    @inline(__always) static func floats(_ a: Double, _ b: Double) -> Bool { a <= b }
}
enum GreaterThan: FusedComparison {
    static var op: BinaryOp { .greater }
    @inline(__always) static func ints(_ a: Int, _ b: Int) -> Bool { a > b }
    @inline(__always) static func floats(_ a: Double, _ b: Double) -> Bool { a > b }
}
enum GreaterEqual: FusedComparison {
    static var op: BinaryOp { .greaterEqual }
    @inline(__always) static func ints(_ a: Int, _ b: Int) -> Bool { a >= b }
    @inline(__always) static func floats(_ a: Double, _ b: Double) -> Bool { a >= b }
}

protocol FusedArithmetic {
    static var op: BinaryOp { get }
    static func ints(_ a: Int, _ b: Int) -> (partialValue: Int, overflow: Bool)
    static func floats(_ a: Double, _ b: Double) -> Double
}

enum Plus: FusedArithmetic {
    static var op: BinaryOp { .add }
    @inline(__always) static func ints(_ a: Int, _ b: Int) -> (partialValue: Int, overflow: Bool) { a.addingReportingOverflow(b) }
    @inline(__always) static func floats(_ a: Double, _ b: Double) -> Double { a + b }
}
enum Minus: FusedArithmetic {
    static var op: BinaryOp { .subtract }
    @inline(__always) static func ints(_ a: Int, _ b: Int) -> (partialValue: Int, overflow: Bool) { a.subtractingReportingOverflow(b) }
    @inline(__always) static func floats(_ a: Double, _ b: Double) -> Double { a - b }
}
enum Times: FusedArithmetic {
    static var op: BinaryOp { .multiply }
    @inline(__always) static func ints(_ a: Int, _ b: Int) -> (partialValue: Int, overflow: Bool) { a.multipliedReportingOverflow(by: b) }
    @inline(__always) static func floats(_ a: Double, _ b: Double) -> Double { a * b }
}

extension Compiler {
    /// An operand that can be read without a closure call.
    enum Operand {
        case slot(Int)
        case global(GlobalCell)
        case int(Int)
        case float(Double)
        case code(Code)
    }

    func operand(_ e: Expr) throws(LoopError) -> Operand {
        switch e.kind {
        case .int(let v): return .int(v)
        case .float(let v): return .float(v)
        case .identifier(let name):
            switch resolve(name) {
            case .local(let l)? where !l.boxed: return .slot(l.slot)
            case .global(let cell)?: return .global(cell)
            default: break
            }
        default: break
        }
        return .code(try compileExpr(e))
    }

    func fusedCondition(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, span: SourceSpan) throws(LoopError) -> Condition {
        switch op {
        case .less: return try fusedCondition(LessThan.self, lhs, rhs, span: span)
        case .lessEqual: return try fusedCondition(LessEqual.self, lhs, rhs, span: span)
        case .greater: return try fusedCondition(GreaterThan.self, lhs, rhs, span: span)
        default: return try fusedCondition(GreaterEqual.self, lhs, rhs, span: span)
        }
    }

    private func fusedCondition<C: FusedComparison>(_: C.Type, _ lhs: Expr, _ rhs: Expr, span: SourceSpan) throws(LoopError) -> Condition {
        @inline(never) func slow(_ a: Value, _ b: Value) throws(LoopError) -> Bool {
            do throws(LoopError) { return try Arithmetic.compare(C.op, a, b) } catch { throw error.located(span) }
        }
        @inline(__always) func compare(_ a: Value, _ b: Value) throws(LoopError) -> Bool {
            switch (a, b) {
            case (.int(let x), .int(let y)): return C.ints(x, y)
            case (.float(let x), .float(let y)): return C.floats(x, y)
            default: return try slow(a, b)
            }
        }
        switch (try operand(lhs), try operand(rhs)) {
        case (.slot(let s), .int(let k)):
            return { base throws(LoopError) in
                if case .int(let x) = base[s] { return C.ints(x, k) }
                return try slow(base[s], .int(k))
            }
        case (.slot(let s), .slot(let t)):
            return { base throws(LoopError) in try compare(base[s], base[t]) }
        case (.global(let cell), .int(let k)):
            return { base throws(LoopError) in
                if case .int(let x) = cell.value { return C.ints(x, k) }
                guard cell.defined else { throw LoopError(.uninitialized(cell.name), at: lhs.span) }
                return try slow(cell.value, .int(k))
            }
        case (.code(let l), .int(let k)):
            return { base throws(LoopError) in
                let a = try l(base)
                if case .int(let x) = a { return C.ints(x, k) }
                return try slow(a, .int(k))
            }
        case (.slot(let s), .code(let r)):
            return { base throws(LoopError) in
                let b = try r(base)
                return try compare(base[s], b)
            }
        case (let l, let r):
            let lc = code(for: l), rc = code(for: r)
            return { base throws(LoopError) in
                let a = try lc(base), b = try rc(base)
                return try compare(a, b)
            }
        }
    }

    func code(for operand: Operand) -> Code {
        switch operand {
        case .slot(let s): return { base in base[s] }
        case .global(let cell):
            let name = cell.name
            return { _ throws(LoopError) in
                if cell.defined { return cell.value }
                throw LoopError(.uninitialized(name))
            }
        case .int(let v): let value = Value.int(v); return { _ in value }
        case .float(let v): let value = Value.float(v); return { _ in value }
        case .code(let c): return c
        }
    }

    /// `+ - *` with fused operand shapes; nil for other operators.
    func fusedArithmetic(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, span: SourceSpan) throws(LoopError) -> Code? {
        switch op {
        case .add: return try fusedArithmetic(Plus.self, lhs, rhs, span: span)
        case .subtract: return try fusedArithmetic(Minus.self, lhs, rhs, span: span)
        case .multiply: return try fusedArithmetic(Times.self, lhs, rhs, span: span)
        default: return nil
        }
    }

    private func fusedArithmetic<A: FusedArithmetic>(_: A.Type, _ lhs: Expr, _ rhs: Expr, span: SourceSpan) throws(LoopError) -> Code {
        @inline(never) func slow(_ a: Value, _ b: Value) throws(LoopError) -> Value {
            do throws(LoopError) { return try Arithmetic.binary(A.op, a, b) } catch { throw error.located(span) }
        }
        @inline(__always) func apply(_ a: Value, _ b: Value) throws(LoopError) -> Value {
            switch (a, b) {
            case (.int(let x), .int(let y)):
                let (r, o) = A.ints(x, y)
                if !o { return .int(r) }
            case (.float(let x), .float(let y)): return .float(A.floats(x, y))
            default: break
            }
            return try slow(a, b)
        }
        switch (try operand(lhs), try operand(rhs)) {
        case (.slot(let s), .int(let k)):
            return { base throws(LoopError) in
                if case .int(let x) = base[s] {
                    let (r, o) = A.ints(x, k)
                    if !o { return .int(r) }
                }
                return try slow(base[s], .int(k))
            }
        case (.slot(let s), .slot(let t)):
            return { base throws(LoopError) in try apply(base[s], base[t]) }
        case (.code(let l), .int(let k)):
            return { base throws(LoopError) in
                let a = try l(base)
                if case .int(let x) = a {
                    let (r, o) = A.ints(x, k)
                    if !o { return .int(r) }
                }
                return try slow(a, .int(k))
            }
        case (let l, let r):
            let lc = code(for: l), rc = code(for: r)
            return { base throws(LoopError) in
                let a = try lc(base), b = try rc(base)
                return try apply(a, b)
            }
        }
    }

    /// `if n < 2 { a } else { b }` with a local compared to an Int constant: the test is done
    /// inside the `if` itself (the base case of most recursions).
    func fusedIf(_ condition: Expr, _ then: @escaping Code, thenBlock: Block, _ otherwise: @escaping Code) throws(LoopError) -> Code? {
        guard case .binary(let op, let lhs, let rhs) = condition.kind else { return nil }
        var thenSlot: Int? = nil
        if thenBlock.statements.count == 1, case .expression(let e) = thenBlock.statements[0].kind { thenSlot = localSlot(e) }
        switch op {
        case .less: return try fusedIf(LessThan.self, lhs, rhs, then, thenSlot, otherwise, span: condition.span)
        case .lessEqual: return try fusedIf(LessEqual.self, lhs, rhs, then, thenSlot, otherwise, span: condition.span)
        case .greater: return try fusedIf(GreaterThan.self, lhs, rhs, then, thenSlot, otherwise, span: condition.span)
        case .greaterEqual: return try fusedIf(GreaterEqual.self, lhs, rhs, then, thenSlot, otherwise, span: condition.span)
        default: return nil
        }
    }

    private func fusedIf<C: FusedComparison>(_: C.Type, _ lhs: Expr, _ rhs: Expr, _ then: @escaping Code, _ thenSlot: Int?,
                                             _ otherwise: @escaping Code, span: SourceSpan) throws(LoopError) -> Code? {
        guard case .identifier(let name) = lhs.kind, case .local(let l)? = resolve(name), !l.boxed,
              case .int(let k) = rhs.kind else { return nil }
        let s = l.slot
        let general = try fusedCondition(C.self, lhs, rhs, span: span)
        if let t = thenSlot {
            return { base throws(LoopError) in
                if case .int(let x) = base[s] { return C.ints(x, k) ? base[t] : try otherwise(base) }
                return try general(base) ? base[t] : try otherwise(base)
            }
        }
        return { base throws(LoopError) in
            if case .int(let x) = base[s] { return C.ints(x, k) ? try then(base) : try otherwise(base) }
            return try general(base) ? try then(base) : try otherwise(base)
        }
    }

    /// `n + 1` or `n - 1` with `n` an unboxed local: its slot and the constant to add.
    func localPlusConstant(_ e: Expr) -> (slot: Int, constant: Int)? {
        guard case .binary(let op, let lhs, let rhs) = e.kind, op == .add || op == .subtract,
              case .identifier(let name) = lhs.kind, case .local(let l)? = resolve(name), !l.boxed,
              case .int(let k) = rhs.kind, k != Int.min else { return nil }
        return (l.slot, op == .add ? k : -k)
    }

    /// An unboxed local read, for inlining `if ... { n }`.
    func localSlot(_ e: Expr) -> Int? {
        guard case .identifier(let name) = e.kind, case .local(let l)? = resolve(name), !l.boxed else { return nil }
        return l.slot
    }
}
