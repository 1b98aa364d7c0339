import OrderedCollections

extension Compiler {
    func compileExpr(_ expr: Expr) throws(LoopError) -> Code {
        let span = expr.span
        switch expr.kind {
        case .int(let v): let value = Value.int(v); return { _ in value }
        case .float(let v): let value = Value.float(v); return { _ in value }
        case .duration(let v): let value = Value.duration(v); return { _ in value }
        case .bool(let v): let value = Value.bool(v); return { _ in value }
        case .nil: return { _ in .nil }
        case .identifier(let name): return try compileRead(name, span: span)

        case .string(let segments):
            if segments.count == 1, case .text(let t) = segments[0] { let value = Value.string(t); return { _ in value } }
            var parts: [(text: String, code: CodeRef?)] = []
            for segment in segments {
                switch segment {
                case .text(let t): parts.append((t, nil))
                case .code(let e): parts.append(("", CodeRef(run: try compileExpr(e))))
                }
            }
            return { base throws(LoopError) in
                var out = ""
                for part in parts {
                    if let code = part.code { out += Printer.display(try code.run(base)) } else { out += part.text }
                }
                return .string(out)
            }

        case .list(let items):
            let codes = try compileAll(items)
            return { base throws(LoopError) in
                var out: [Value] = []
                out.reserveCapacity(codes.count)
                for c in codes { out.append(try c.run(base)) }
                return .list(out)
            }

        case .record(let entries):
            var seen: Set<String> = []
            for entry in entries where !seen.insert(entry.key).inserted {
                throw LoopError(.invalidValue("duplicate field '\(entry.key)' in record literal"), at: entry.value.span)
            }
            let keys = entries.map(\.key)
            let codes = try compileAll(entries.map(\.value))
            return { base throws(LoopError) in
                var fields = OrderedDictionary<String, Value>(minimumCapacity: keys.count)
                for i in 0..<keys.count { fields[keys[i]] = try codes[i].run(base) }
                return .record(Record(fields))
            }

        case .negate(let operand):
            if case .int(let v) = operand.kind { let value = Value.int(-v); return { _ in value } }
            let code = try compileExpr(operand)
            return { base throws(LoopError) in
                let v = try code(base)
                if case .float(let f) = v { return .float(-f) }
                do throws(LoopError) { return try Arithmetic.negate(v) } catch { throw error.located(span) }
            }

        case .not(let operand):
            let condition = try compileCondition(operand)
            return { base throws(LoopError) in .bool(!(try condition(base))) }

        case .and, .or:
            let condition = try compileCondition(expr)
            return { base throws(LoopError) in .bool(try condition(base)) }

        case .binary(let op, let lhs, let rhs):
            return try compileBinary(op, lhs, rhs, span: span)

        case .range(let lo, let hi, let closed):
            let loCode = try compileExpr(lo), hiCode = try compileExpr(hi)
            return { base throws(LoopError) in
                guard case .int(let a) = try loCode(base), case .int(let b) = try hiCode(base) else {
                    throw LoopError(.invalidValue("range bounds must be Int"), at: span)
                }
                if closed {
                    if b == Int.max { throw LoopError(.integerOverflow("..."), at: span) }
                    return .range(a, max(a, b + 1))
                }
                return .range(a, max(a, b))
            }

        case .call(let callee, let args):
            return try compileCall(callee, args, span: span)

        case .member(let object, let name):
            let code = try compileExpr(object)
            return { base throws(LoopError) in
                let value = try code(base)
                do throws(LoopError) { return try Members.get(value, name) } catch { throw error.located(span) }
            }

        case .index(let object, let index):
            let objectCode = try compileExpr(object), indexCode = try compileExpr(index)
            return { base throws(LoopError) in
                let container = try objectCode(base)
                let i = try indexCode(base)
                do throws(LoopError) { return try Indexing.get(container, i) } catch { throw error.located(span) }
            }

        case .function(let decl):
            return try compileFunction(decl)

        case .block(let block):
            return try compileBlock(block).code

        case .if(let conditionExpr, let then, let elseExpr):
            let condition = try compileCondition(conditionExpr)
            let thenCode = try compileBlock(then).code
            guard let elseExpr else {
                return { base throws(LoopError) in try condition(base) ? try thenCode(base) : .nil }
            }
            let elseCode = try compileExpr(elseExpr)
            if let fused = try fusedIf(conditionExpr, thenCode, thenBlock: then, elseCode) { return fused }
            return { base throws(LoopError) in try condition(base) ? try thenCode(base) : try elseCode(base) }

        case .try(let body, let name, let handler):
            let rt = self.rt
            tryDepth += 1
            let compiledBody: Code
            do throws(LoopError) { compiledBody = try compileBlock(body).code } catch { tryDepth -= 1; throw error }
            tryDepth -= 1
            let bodyCode = compiledBody
            pushScope()
            let boxes = handler.containsFunction
            boxing.append(boxes)
            let slot = try name.map { n throws(LoopError) in try declareLocal(n, mutable: false, boxed: boxes, span: span).slot }
            let handlerCode: Code
            do throws(LoopError) { handlerCode = try compileStatements(handler.statements).code } catch {
                boxing.removeLast(); popScope(); throw error
            }
            boxing.removeLast()
            popScope()
            return { base throws(LoopError) in
                let savedTop = rt.top, savedDepth = rt.depth
                do throws(LoopError) {
                    return try bodyCode(base)
                } catch {
                    rt.top = savedTop
                    rt.depth = savedDepth
                    rt.unwind = .none
                    if let slot {
                        let record = Interpreter.errorRecord(error)
                        base[slot] = boxes ? .cell(Cell(record)) : record
                    }
                    return try handlerCode(base)
                }
            }
        }
    }

    func compileAll(_ exprs: [Expr]) throws(LoopError) -> [CodeRef] {
        var out: [CodeRef] = []
        for e in exprs { out.append(CodeRef(run: try compileExpr(e))) }
        return out
    }

    func compileRead(_ name: String, span: SourceSpan) throws(LoopError) -> Code {
        guard let resolved = resolve(name) else { throw undefined(name, at: span) }
        switch resolved {
        case .local(let local):
            let slot = local.slot
            if local.boxed {
                return { base in
                    if case .cell(let c) = base[slot] { return c.value }
                    return base[slot]
                }
            }
            return { base in base[slot] }
        case .capture(let index, _):
            return { base in Runtime.captures(of: base)[index].value }
        case .global(let cell):
            return { _ throws(LoopError) in
                if cell.defined { return cell.value }
                throw LoopError(.uninitialized(name), at: span)
            }
        case .builtin(let value):
            return { _ in value }
        }
    }

    /// Compiles an expression used as a condition straight to a Bool, skipping the boxing for
    /// comparisons, `and`, `or` and `not`.
    func compileCondition(_ expr: Expr) throws(LoopError) -> Condition {
        let span = expr.span
        switch expr.kind {
        case .and(let a, let b):
            let ca = try compileCondition(a), cb = try compileCondition(b)
            return { base throws(LoopError) in
                if !(try ca(base)) { return false }
                return try cb(base)
            }
        case .or(let a, let b):
            let ca = try compileCondition(a), cb = try compileCondition(b)
            return { base throws(LoopError) in
                if try ca(base) { return true }
                return try cb(base)
            }
        case .not(let a):
            let ca = try compileCondition(a)
            return { base throws(LoopError) in !(try ca(base)) }
        case .binary(let op, let lhs, let rhs) where [.less, .lessEqual, .greater, .greaterEqual].contains(op):
            return try fusedCondition(op, lhs, rhs, span: span)
        case .binary(.equal, let lhs, let rhs), .binary(.notEqual, let lhs, let rhs):
            let l = try compileExpr(lhs), r = try compileExpr(rhs)
            let negate: Bool = { if case .binary(.notEqual, _, _) = expr.kind { return true } else { return false } }()
            return { base throws(LoopError) in
                let a = try l(base), b = try r(base)
                if case .int(let x) = a, case .int(let y) = b { return (x == y) != negate }
                return Value.equal(a, b) != negate
            }
        case .bool(let b):
            return { _ in b }
        default:
            let code = try compileExpr(expr)
            return { base throws(LoopError) in try code(base).isTruthy }
        }
    }

    func compileBinary(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, span: SourceSpan) throws(LoopError) -> Code {
        switch op {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            let condition = try compileCondition(Expr(kind: .binary(op, lhs, rhs), span: span))
            return { base throws(LoopError) in .bool(try condition(base)) }
        default: break
        }
        if let fused = try fusedArithmetic(op, lhs, rhs, span: span) { return fused }
        let l = try compileExpr(lhs)
        let r = try compileExpr(rhs)
        return { base throws(LoopError) in
            let a = try l(base), b = try r(base)
            do throws(LoopError) { return try Arithmetic.binary(op, a, b) } catch { throw error.located(span) }
        }
    }
}
