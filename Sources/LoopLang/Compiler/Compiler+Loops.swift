extension Compiler {
    func compileFor(names: [String], nameSpans: [SourceSpan], sequence: Expr, body: Block) throws(LoopError) -> Compiled {
        let rt = self.rt
        // `for i in a..<b` counts without building the range.
        var bounds: (Code, Code, Bool)? = nil
        if case .range(let lo, let hi, let closed) = sequence.kind, names.count == 1 {
            bounds = (try compileExpr(lo), try compileExpr(hi), closed)
        }
        let seq = bounds == nil ? try compileExpr(sequence) : nil
        let boxes = body.containsFunction
        pushScope()
        boxing.append(boxes)
        var slots: [Int] = []
        for (name, span) in zip(names, nameSpans) {
            slots.append(try declareLocal(name, mutable: false, boxed: boxes, span: span).slot)
        }
        function.loopDepth += 1
        let block: Compiled
        do throws(LoopError) {
            block = try compileStatements(body.statements)
        } catch {
            function.loopDepth -= 1
            boxing.removeLast()
            popScope()
            throw error
        }
        function.loopDepth -= 1
        boxing.removeLast()
        popScope()
        let bodyCode = block.code
        let checkUnwind = block.mayUnwind
        let slot = slots[0]
        let sequenceSpan = sequence.span

        /// Runs the body once; returns false when the loop must stop.
        @inline(__always) func iterate(_ base: Frame) throws(LoopError) -> Bool {
            try Interrupt.check(at: sequenceSpan)
            _ = try bodyCode(base)
            if checkUnwind, rt.unwind != .none {
                if rt.unwind == .returning { return false }
                let stop = rt.unwind == .breakLoop
                rt.unwind = .none
                return !stop
            }
            return true
        }

        if let (lo, hi, closed) = bounds {
            let loSpan = sequence.span
            return Compiled(code: { base throws(LoopError) in
                guard case .int(let a) = try lo(base), case .int(var b) = try hi(base) else {
                    throw LoopError(.invalidValue("range bounds must be Int"), at: loSpan)
                }
                if closed {
                    if b == Int.max { throw LoopError(.integerOverflow("..."), at: loSpan) }
                    b += 1
                }
                var i = a
                while i < b {
                    base[slot] = boxes ? .cell(Cell(.int(i))) : .int(i)
                    if !(try iterate(base)) { break }
                    i += 1
                }
                return .nil
            }, mayUnwind: body.containsReturn)
        }

        let seqCode = seq!
        let two = names.count == 2
        let slot2 = two ? slots[1] : 0
        @inline(__always) func bind(_ base: Frame, _ a: Value, _ b: Value?) {
            base[slot] = boxes ? .cell(Cell(a)) : a
            if let b { base[slot2] = boxes ? .cell(Cell(b)) : b }
        }
        return Compiled(code: { base throws(LoopError) in
            let value = try seqCode(base)
            switch value {
            case .range(let a, let b):
                if two { throw LoopError(.invalidValue("cannot unpack Int into 2 variables"), at: sequenceSpan) }
                var i = a
                while i < b {
                    bind(base, .int(i), nil)
                    if !(try iterate(base)) { break }
                    i += 1
                }
            case .list(let items):
                for item in items {
                    if two {
                        guard case .list(let pair) = item, pair.count == 2 else {
                            throw LoopError(.invalidValue("cannot unpack \(item.typeName == "List" ? "a List of length \(item.listCount)" : item.typeName) into 2 variables"), at: sequenceSpan)
                        }
                        bind(base, pair[0], pair[1])
                    } else {
                        bind(base, item, nil)
                    }
                    if !(try iterate(base)) { break }
                }
            case .record(let r):
                for (k, v) in r.fields {
                    bind(base, .string(k), two ? v : nil)
                    if !(try iterate(base)) { break }
                }
            case .string(let s):
                if two { throw LoopError(.invalidValue("cannot unpack String into 2 variables"), at: sequenceSpan) }
                for c in s {
                    bind(base, .string(String(c)), nil)
                    if !(try iterate(base)) { break }
                }
            case .handle(let h):
                guard let make = h.type.makeIterator else { throw LoopError(.notIterable(h.type.name), at: sequenceSpan) }
                let next: () throws(LoopError) -> Value?
                do throws(LoopError) { next = try make(h.object, rt.interpreter) } catch { throw error.located(sequenceSpan) }
                let consumer = h.type.consumesBodyError
                let run: () throws(LoopError) -> Void = { () throws(LoopError) -> Void in
                    while true {
                        let item: Value?
                        do throws(LoopError) { item = try next() } catch { throw error.located(sequenceSpan) }
                        guard let item else { return }
                        if two {
                            guard case .list(let pair) = item, pair.count == 2 else {
                                throw LoopError(.invalidValue("cannot unpack \(item.typeName) into 2 variables"), at: sequenceSpan)
                            }
                            bind(base, pair[0], pair[1])
                        } else {
                            bind(base, item, nil)
                        }
                        guard let consumer else {
                            if !(try iterate(base)) { return }
                            continue
                        }
                        let savedTop = rt.top, savedDepth = rt.depth
                        do throws(LoopError) {
                            if !(try iterate(base)) { return }
                        } catch {
                            if case .interrupted = error.problem { throw error }
                            if case .stackOverflow = error.problem { throw error }
                            rt.top = savedTop
                            rt.depth = savedDepth
                            rt.unwind = .none
                            guard try consumer(h.object, error) else { throw error }
                        }
                    }
                }
                guard let ended = h.type.loopEnded else { try run(); break }
                do throws(LoopError) { try run() } catch {
                    do throws(LoopError) { try ended(h.object, error) } catch { throw error.located(sequenceSpan) }
                    throw error
                }
                do throws(LoopError) { try ended(h.object, nil) } catch { throw error.located(sequenceSpan) }
            default:
                throw LoopError(.notIterable(value.typeName), at: sequenceSpan)
            }
            return .nil
        }, mayUnwind: body.containsReturn)
    }
}

extension Value {
    var listCount: Int { if case .list(let l) = self { l.count } else { 0 } }
}

extension LoopError {
    /// The error, placed at `span` unless it already has a place.
    func located(_ span: SourceSpan?) -> LoopError {
        let e = self
        if e.span == nil { e.span = span }
        return e
    }
}
