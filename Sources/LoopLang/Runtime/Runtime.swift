import Glibc

typealias Frame = UnsafeMutablePointer<Value>
/// A compiled expression or statement: runs against the current frame and gives a value.
typealias Code = (Frame) throws(LoopError) -> Value
typealias Condition = (Frame) throws(LoopError) -> Bool

/// Compiled code kept in a collection. Swift stores a bare closure inside an Array or Optional
/// in its most general form and wraps every call in a reabstraction thunk; a struct field keeps
/// the direct calling convention.
struct CodeRef {
    let run: Code
}

enum Unwind: UInt8 {
    case none, breakLoop, continueLoop, returning
}

/// A compiled function: its code and what a call needs to know to lay out its frame.
/// Frame layout: slot 0 holds the callee (when it captures variables), slots 1...n the
/// parameters, then locals. Every field is a `let`: calls read them without retaining.
final class FunctionProto {
    let name: String
    let parameterNames: [String]
    let defaults: [CodeRef?]
    let boxedParameters: Bool
    let body: Code
    let frameSize: Int
    let captures: [CaptureSource]
    let hasCaptures: Bool
    let parameterCount: Int
    /// Whether the body contains `return` (otherwise calls skip the unwinding check).
    let returns: Bool
    let isSkill: Bool
    let doc: String?
    let source: String
    let span: SourceSpan

    init(name: String, parameterNames: [String], defaults: [CodeRef?], boxedParameters: Bool, body: @escaping Code,
         frameSize: Int, captures: [CaptureSource], returns: Bool, isSkill: Bool, doc: String?, source: String, span: SourceSpan) {
        self.name = name
        self.parameterNames = parameterNames
        self.defaults = defaults
        self.boxedParameters = boxedParameters
        self.body = body
        self.frameSize = frameSize
        self.captures = captures
        self.hasCaptures = !captures.isEmpty
        self.parameterCount = parameterNames.count
        self.returns = returns
        self.isSkill = isSkill
        self.doc = doc
        self.source = source
        self.span = span
    }
}

/// Where a closure's captured variable comes from when the closure is made.
enum CaptureSource {
    case parentLocal(slot: Int)
    case parentCapture(index: Int)
}

/// A `.loop` function value: compiled code plus the variables it captured.
final class Closure: Function, @unchecked Sendable {
    let proto: FunctionProto
    let captures: [Cell]

    init(proto: FunctionProto, captures: [Cell]) {
        self.proto = proto
        self.captures = captures
        super.init(name: proto.name, isClosure: true)
    }

    override var doc: String? { proto.doc }
    override var signatureText: String { "\(proto.name)(\(proto.parameterNames.joined(separator: ", ")))" }
    override var parameterNames: [String] { proto.parameterNames }
}

/// The mutable state of a running interpreter: the value stack, call depth and unwinding flags.
/// Single-threaded; compiled code captures it directly.
final class Runtime {
    static let stackSlots = 1 << 20
    static let maxDepth = 12_000
    static let maxTrace = 12

    let stack: Frame
    /// End of the initialised part of the stack.
    private(set) var stackEnd: Frame
    var top: Frame
    var depth = 0
    /// The principals of the code running now (see `Principal`), outermost first.
    var principals: [Principal] = []
    var unwind: Unwind = .none
    var returnValue: Value = .nil
    unowned(unsafe) var interpreter: Interpreter!

    init() {
        // Reserve the whole stack but initialise it as it is used: starting an interpreter
        // must stay cheap (`looplab -e` runs in milliseconds).
        stack = Frame.allocate(capacity: Runtime.stackSlots)
        stack.initialize(repeating: .nil, count: Runtime.initialSlots)
        stackEnd = stack + Runtime.initialSlots
        top = stack
    }

    deinit {
        stack.deinitialize(count: stackEnd - stack)
        stack.deallocate()
    }

    static let initialSlots = 4096

    /// Makes sure slots up to `end` are initialised; a stack overflow when the reservation is used up.
    @inline(__always)
    func reserve(_ end: Frame) throws(LoopError) {
        if end >= stackEnd { try grow(to: end) }
    }

    @inline(never)
    func grow(to end: Frame) throws(LoopError) {
        let limit = stack + Runtime.stackSlots
        guard end < limit else { throw LoopError(.stackOverflow) }
        let newEnd = min(limit, stack + max(2 * (stackEnd - stack), end - stack + 1))
        stackEnd.initialize(repeating: .nil, count: newEnd - stackEnd)
        stackEnd = newEnd
    }

    /// Restores the stack after an error escaped to the top (REPL keeps going).
    func resetAfterError() {
        (stack..<top).isEmpty ? () : stack.update(repeating: .nil, count: top - stack)
        top = stack
        depth = 0
        unwind = .none
        returnValue = .nil
    }

    @inline(__always)
    static func captures(of frame: Frame) -> [Cell] {
        guard case .function(let f) = frame[0] else { return [] }
        return unsafeDowncast(f, to: Closure.self).captures
    }

    /// Calls a closure whose first `argc` positional arguments the caller has already written to
    /// `newBase[1...argc]` (with `top` just past them). Binds named arguments and defaults, runs
    /// the body, clears the frame.
    @inline(__always)
    func enter(_ closure: Closure, newBase: Frame, argc: Int, named: [(String, Value)], callSite: SourceSpan?) throws(LoopError) -> Value {
        let proto = closure.proto
        let frameSize = proto.frameSize
        defer {
            // Release what the frame holds; slots past `top` are always nil.
            var slot = newBase
            let end = max(newBase + frameSize, top)
            while slot < end {
                slot.pointee = .nil
                slot += 1
            }
            top = newBase
        }
        let paramCount = proto.parameterCount
        if argc != paramCount || !named.isEmpty {
            // Argument errors belong to the call site, not to the callee's stack frame.
            do throws(LoopError) { try bindArguments(proto, newBase: newBase, argc: argc, named: named) } catch {
                throw error.located(callSite)
            }
        }
        do throws(LoopError) {
            top = newBase + frameSize
            if proto.boxedParameters {
                var i = 1
                while i <= paramCount { newBase[i] = .cell(Cell(newBase[i])); i += 1 }
            }
            depth += 1
            defer { depth -= 1 }
            if depth > Runtime.maxDepth { throw LoopError(.stackOverflow) }
            try Interrupt.check()
            var result = try proto.body(newBase)
            if proto.returns, unwind == .returning {
                result = returnValue
                returnValue = .nil
                unwind = .none
            }
            return result
        } catch {
            throw Runtime.traced(error, function: proto.name, callSite: callSite)
        }
    }

    static func traced(_ error: LoopError, function: String, callSite: SourceSpan?) -> LoopError {
        let e = error
        // An error with no place of its own (stack overflow) is placed at the innermost call.
        if e.span == nil { e.span = callSite }
        if e.trace.count < maxTrace {
            e.trace.append(TraceFrame(function: function, callSite: callSite))
        } else {
            e.omittedFrames += 1
        }
        return e
    }

    /// Slow path of argument binding: too few/many positionals, named arguments, defaults.
    func bindArguments(_ proto: FunctionProto, newBase: Frame, argc: Int, named: [(String, Value)]) throws(LoopError) {
        let params = proto.parameterNames
        if argc > params.count {
            throw LoopError(.tooManyArguments(function: proto.name, max: params.count, given: argc))
        }
        var provided = [Bool](repeating: false, count: params.count)
        for i in 0..<argc { provided[i] = true }
        for (label, value) in named {
            guard let i = params.firstIndex(of: label) else {
                throw LoopError(.unknownArgument(function: proto.name, name: label), unknown: label, among: params)
            }
            if provided[i] { throw LoopError(.duplicateArgument(function: proto.name, name: label)) }
            provided[i] = true
            newBase[1 + i] = value
        }
        top = newBase + proto.frameSize
        for i in 0..<params.count where !provided[i] {
            guard let d = proto.defaults[i] else {
                throw LoopError(.missingArgument(function: proto.name, name: params[i]))
            }
            newBase[1 + i] = try d.run(newBase)
        }
    }

    /// Calls any function value with evaluated arguments (natives, `interpreter.call`, slow paths).
    func call(_ callee: Value, _ args: [Value], named: [(String, Value)] = [], receiver: Value = .nil, callSite: SourceSpan?) throws(LoopError) -> Value {
        guard case .function(let f) = callee else {
            throw LoopError(.notCallable(callee.typeName), at: callSite)
        }
        if f.isClosure {
            let closure = unsafeDowncast(f, to: Closure.self)
            let newBase = top
            do throws(LoopError) { try reserve(newBase + closure.proto.frameSize + args.count + 1) } catch { throw error.located(callSite) }
            newBase[0] = callee
            for (i, a) in args.enumerated() { newBase[1 + i] = a }
            top = newBase + 1 + args.count
            return try enter(closure, newBase: newBase, argc: args.count, named: named, callSite: callSite)
        }
        return try callNative(unsafeDowncast(f, to: NativeFunction.self), args, named: named, receiver: receiver, callSite: callSite)
    }

    func callNative(_ f: NativeFunction, _ args: [Value], named: [(String, Value)], receiver: Value, callSite: SourceSpan?) throws(LoopError) -> Value {
        var r = receiver
        return try callNative(f, args, named: named, receiver: &r, callSite: callSite)
    }

    /// Calls a native; a mutating method changes `receiver` in place.
    func callNative(_ f: NativeFunction, _ args: [Value], named: [(String, Value)], receiver: inout Value, callSite: SourceSpan?) throws(LoopError) -> Value {
        let params = f.parameters
        var arguments = [Value](repeating: .nil, count: params.count)
        var provided = [Bool](repeating: false, count: params.count)
        var rest: [Value] = []
        var extra: [(String, Value)] = []
        do throws(LoopError) {
            // A host call is a checkpoint too, so a Ctrl-C that ended a long primitive (`train`
            // returns its Run) stops the very next statement that calls anything.
            try Interrupt.check()
            let positionalSlots = f.positionalParameterIndices
            for (i, a) in args.enumerated() {
                if i < positionalSlots.count {
                    arguments[positionalSlots[i]] = a
                    provided[positionalSlots[i]] = true
                } else if f.variadic {
                    rest.append(a)
                } else {
                    throw LoopError(.tooManyArguments(function: f.name, max: positionalSlots.count, given: args.count))
                }
            }
            for (label, value) in named {
                if let i = params.firstIndex(where: { $0.name == label }) {
                    if provided[i] { throw LoopError(.duplicateArgument(function: f.name, name: label)) }
                    arguments[i] = value
                    provided[i] = true
                } else if f.acceptsExtraNamed {
                    extra.append((label, value))
                } else {
                    throw LoopError(.unknownArgument(function: f.name, name: label), unknown: label, among: params.map(\.name))
                }
            }
            for i in 0..<params.count where !provided[i] {
                guard let d = params[i].defaultValue else {
                    throw LoopError(.missingArgument(function: f.name, name: params[i].name))
                }
                arguments[i] = d
            }
            let moved = receiver
            receiver = .nil  // so a mutating method sees its list uniquely referenced
            var call = NativeCall(function: f, arguments: arguments, rest: rest, extraNamed: extra,
                                  receiver: moved, interpreter: interpreter, given: provided, callSite: callSite)
            depth += 1
            defer {
                depth -= 1
                receiver = call.receiver
            }
            if depth > Runtime.maxDepth { throw LoopError(.stackOverflow) }
            return try f.body(&call)
        } catch {
            let e = error
            if e.span == nil { e.span = callSite }
            throw e
        }
    }
}
