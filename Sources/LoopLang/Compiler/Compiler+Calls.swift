extension Compiler {
    func compileCall(_ calleeExpr: Expr, _ args: [Argument], span: SourceSpan) throws(LoopError) -> Code {
        if case .member(let object, let name) = calleeExpr.kind {
            return try compileMethodCall(object, name, args, span: span)
        }
        if tryDepth == 0, case .identifier(let name) = calleeExpr.kind, case .builtin(.function(let f))? = resolve(name),
           let native = f as? NativeFunction {
            try Self.checkArguments(native, args, span: span)
        }
        let rt = self.rt
        let callee = try compileExpr(calleeExpr)
        let positional = try compileAll(args.filter { $0.label == nil }.map(\.value))
        var named: [(label: String, code: CodeRef)] = []
        for a in args { if let label = a.label { named.append((label, CodeRef(run: try compileExpr(a.value)))) } }
        let argc = positional.count
        // A named function (`fib(n - 1)`): call the global's closure without materialising it.
        // Each argument is compiled once and shared by the fast path and the general one: compiling
        // it again per path doubled the work at every level of `f(f(f(...)))`.
        let general = generalCall(callee: callee, positional: positional, named: named, span: span)
        if named.isEmpty, case .identifier(let name) = calleeExpr.kind, case .global(let cell)? = resolve(name), !cell.mutable {
            /// Lays out the frame and enters the closure; `fill` writes the arguments.
            @inline(__always) func call(_ closure: Closure, _ base: Frame, _ fill: (Frame) throws(LoopError) -> Void) throws(LoopError) -> Value {
                let newBase = rt.top
                do throws(LoopError) { try rt.reserve(newBase + closure.proto.frameSize + argc + 1) } catch { throw error.located(span) }
                if closure.proto.hasCaptures { newBase[0] = cell.value }
                rt.top = newBase + 1
                do throws(LoopError) { try fill(newBase) } catch {
                    newBase.update(repeating: .nil, count: rt.top - newBase)
                    rt.top = newBase
                    throw error
                }
                return try rt.enter(closure, newBase: newBase, argc: argc, named: [], callSite: span)
            }
            // `_withUnsafeGuaranteedRef` lends the closure without a retain/release pair.
            @inline(__always) func guaranteed(_ ref: Unmanaged<Closure>, _ body: (Closure) throws(LoopError) -> Value) throws(LoopError) -> Value {
                do { return try ref._withUnsafeGuaranteedRef { c in try body(c) } } catch { throw error as! LoopError }
            }
            switch argc {
            case 1:
                let a0 = positional[0].run
                // `f(n - 1)`: the argument is computed in place, without a closure call.
                if let (s, k) = localPlusConstant(args[0].value) {
                    return { base throws(LoopError) in
                        guard !cell.mutable, let ref = cell.closure else { return try general(base) }
                        return try guaranteed(ref) { (closure: Closure) throws(LoopError) -> Value in
                            try call(closure, base) { (newBase: Frame) throws(LoopError) in
                                if case .int(let x) = base[s], case (let r, false) = x.addingReportingOverflow(k) {
                                    newBase[1] = .int(r)
                                } else {
                                    newBase[1] = try a0(base)
                                }
                                rt.top = newBase + 2
                            }
                        }
                    }
                }
                return { base throws(LoopError) in
                    guard !cell.mutable, let ref = cell.closure else { return try general(base) }
                    return try guaranteed(ref) { (closure: Closure) throws(LoopError) -> Value in
                        try call(closure, base) { (newBase: Frame) throws(LoopError) in
                            newBase[1] = try a0(base)
                            rt.top = newBase + 2
                        }
                    }
                }
            case 2:
                let a0 = positional[0].run, a1 = positional[1].run
                return { base throws(LoopError) in
                    guard !cell.mutable, let ref = cell.closure else { return try general(base) }
                    return try guaranteed(ref) { (closure: Closure) throws(LoopError) -> Value in
                        try call(closure, base) { (newBase: Frame) throws(LoopError) in
                            newBase[1] = try a0(base)
                            rt.top = newBase + 2
                            newBase[2] = try a1(base)
                            rt.top = newBase + 3
                        }
                    }
                }
            default:
                return { base throws(LoopError) in
                    guard !cell.mutable, let ref = cell.closure else { return try general(base) }
                    return try guaranteed(ref) { (closure: Closure) throws(LoopError) -> Value in
                        try call(closure, base) { (newBase: Frame) throws(LoopError) in
                            for i in 0..<argc {
                                newBase[1 + i] = try positional[i].run(base)
                                rt.top = newBase + 2 + i
                            }
                        }
                    }
                }
            }
        }
        return general
    }

    /// The general call: any callee expression, named arguments, natives.
    func generalCall(callee: @escaping Code, positional: [CodeRef], named: [(label: String, code: CodeRef)],
                     span: SourceSpan) -> Code {
        let rt = self.rt
        let argc = positional.count
        // The common case, a closure called with one or two positional arguments, is unrolled.
        if named.isEmpty, argc == 1 {
            let a0 = positional[0].run
            return { base throws(LoopError) in
                // `consume` moves the closure out of the value instead of retaining it again.
                let f = try callee(base)
                switch consume f {
                case .function(let fn) where fn.isClosure:
                    let closure = unsafeDowncast(fn, to: Closure.self)
                    let newBase = rt.top
                    do throws(LoopError) { try rt.reserve(newBase + closure.proto.frameSize + 2) } catch { throw error.located(span) }
                    // Slot 0 holds the callee only when its body reads captured variables.
                    if closure.proto.hasCaptures { newBase[0] = .function(closure) }
                    rt.top = newBase + 1
                    do throws(LoopError) { newBase[1] = try a0(base) } catch { newBase[0] = .nil; rt.top = newBase; throw error }
                    rt.top = newBase + 2
                    return try rt.enter(closure, newBase: newBase, argc: 1, named: [], callSite: span)
                case let f:
                    return try rt.call(f, [try a0(base)], callSite: span)
                }
            }
        }
        if named.isEmpty, argc == 2 {
            let a0 = positional[0].run, a1 = positional[1].run
            return { base throws(LoopError) in
                let f = try callee(base)
                switch consume f {
                case .function(let fn) where fn.isClosure:
                    let closure = unsafeDowncast(fn, to: Closure.self)
                    let newBase = rt.top
                    do throws(LoopError) { try rt.reserve(newBase + closure.proto.frameSize + 3) } catch { throw error.located(span) }
                    if closure.proto.hasCaptures { newBase[0] = .function(closure) }
                    rt.top = newBase + 1
                    do throws(LoopError) {
                        newBase[1] = try a0(base)
                        rt.top = newBase + 2
                        newBase[2] = try a1(base)
                    } catch {
                        newBase.update(repeating: .nil, count: 3)
                        rt.top = newBase
                        throw error
                    }
                    rt.top = newBase + 3
                    return try rt.enter(closure, newBase: newBase, argc: 2, named: [], callSite: span)
                case let f:
                    return try rt.call(f, [try a0(base), try a1(base)], callSite: span)
                }
            }
        }
        return { base throws(LoopError) in
            let f = try callee(base)
            if case .function(let fn) = f, fn.isClosure {
                let closure = unsafeDowncast(fn, to: Closure.self)
                let newBase = rt.top
                do throws(LoopError) { try rt.reserve(newBase + closure.proto.frameSize + argc + named.count + 1) } catch { throw error.located(span) }
                newBase[0] = f
                rt.top = newBase + 1
                var namedValues: [(String, Value)] = []
                do throws(LoopError) {
                    for i in 0..<argc {
                        newBase[1 + i] = try positional[i].run(base)
                        rt.top = newBase + 2 + i
                    }
                    for (label, code) in named { namedValues.append((label, try code.run(base))) }
                } catch {
                    newBase.update(repeating: .nil, count: rt.top - newBase)
                    rt.top = newBase
                    throw error
                }
                return try rt.enter(closure, newBase: newBase, argc: argc, named: namedValues, callSite: span)
            }
            var values: [Value] = []
            values.reserveCapacity(argc)
            for p in positional { values.append(try p.run(base)) }
            var namedValues: [(String, Value)] = []
            for (label, code) in named { namedValues.append((label, try code.run(base))) }
            return try rt.call(f, values, named: namedValues, callSite: span)
        }
    }

    /// `a.f(x)`: a record field holding a function, a method of the value's type, a host
    /// method, or else the uniform call `f(a, x)`. On a `var` path, list methods that change
    /// the list (`append`, `pop`...) change the variable.
    func compileMethodCall(_ object: Expr, _ name: String, _ args: [Argument], span: SourceSpan) throws(LoopError) -> Code {
        let rt = self.rt
        let positional = try compileAll(args.filter { $0.label == nil }.map(\.value))
        var named: [(label: String, code: CodeRef)] = []
        for a in args { if let label = a.label { named.append((label, CodeRef(run: try compileExpr(a.value)))) } }
        let uniform: CodeRef? = resolve(name) == nil ? nil : (try? compileRead(name, span: span)).map(CodeRef.init)
        @inline(__always) func evaluateArgs(_ base: Frame) throws(LoopError) -> ([Value], [(String, Value)]) {
            var values: [Value] = []
            values.reserveCapacity(positional.count)
            for p in positional { values.append(try p.run(base)) }
            var namedValues: [(String, Value)] = []
            for (label, code) in named { namedValues.append((label, try code.run(base))) }
            return (values, namedValues)
        }
        if BuiltinMethods.mutatingNames.contains(name), let path = try compilePath(object) {
            return { base throws(LoopError) in
                let (values, namedValues) = try evaluateArgs(base)
                let keys = try path.keys(base)
                let isList: Bool = try { () throws(LoopError) -> Bool in
                    if case .list = try path.read(base, keys) { return true }
                    return false
                }()
                if isList, let method = BuiltinMethods.list[name] {
                    guard path.rootMutable else { throw LoopError(.assignToConstant(path.rootName), at: span) }
                    return try path.modify(base, keys) { (value: inout Value) throws(LoopError) -> Value in
                        try rt.callNative(method, values, named: namedValues, receiver: &value, callSite: span)
                    }
                }
                let receiver = try path.read(base, keys)
                return try Members.callMethod(receiver, name, values, namedValues, uniform: uniform, base: base, rt: rt, callSite: span)
            }
        }
        let objectCode = try compileExpr(object)
        return { base throws(LoopError) in
            let receiver = try objectCode(base)
            let (values, namedValues) = try evaluateArgs(base)
            return try Members.callMethod(receiver, name, values, namedValues, uniform: uniform, base: base, rt: rt, callSite: span)
        }
    }
}

extension Compiler {
    /// A call to a primitive is checked against its declared parameters before anything runs, so
    /// `looplab check` (and the run itself, before its first statement) reports an unknown keyword
    /// argument, a missing one or too many positional ones at the argument that is wrong. Inside a
    /// `try` body the check is left to the call, where the error can be caught.
    static func checkArguments(_ f: NativeFunction, _ args: [Argument], span: SourceSpan) throws(LoopError) {
        let params = f.parameters
        let slots = f.positionalParameterIndices
        var provided = Set<Int>()
        var positional = 0
        for a in args where a.label == nil {
            if positional < slots.count {
                provided.insert(slots[positional])
            } else if !f.variadic {
                let given = args.filter { $0.label == nil }.count
                throw LoopError(.tooManyArguments(function: f.name, max: slots.count, given: given), at: a.span)
            }
            positional += 1
        }
        for a in args {
            guard let label = a.label else { continue }
            guard let i = params.firstIndex(where: { $0.name == label }) else {
                if f.acceptsExtraNamed { continue }
                throw LoopError(.unknownArgument(function: f.name, name: label), at: a.span, unknown: label, among: params.map(\.name))
            }
            if !provided.insert(i).inserted { throw LoopError(.duplicateArgument(function: f.name, name: label), at: a.span) }
        }
        for (i, p) in params.enumerated() where p.defaultValue == nil && !provided.contains(i) {
            throw LoopError(.missingArgument(function: f.name, name: p.name), at: span)
        }
    }
}
