/// A callable value: a `.loop` closure or a native function registered by a host module.
public class Function: @unchecked Sendable {
    public let name: String
    let isClosure: Bool

    init(name: String, isClosure: Bool) {
        self.name = name
        self.isClosure = isClosure
    }

    /// Documentation shown by `:help`.
    public var doc: String? { nil }
    /// `name(a, b = 2)`, for help and completion.
    public var signatureText: String { "\(name)()" }
    /// The names its arguments may be passed by (`epochs` in `train(m, d, epochs: 5)`), in
    /// declaration order, for completion.
    public var parameterNames: [String] { [] }
}

/// A parameter of a native function.
public struct NativeParameter: Sendable {
    public let name: String
    /// The value used when the caller leaves it out; `nil` makes the parameter required.
    public let defaultValue: Value?
    /// Only passed by name (`seq(a, b, seed: 1)`): positional arguments never fill it, so a
    /// variadic function can collect every positional argument in `call.rest`.
    public let keywordOnly: Bool
    /// One line for `:help`: what the argument means and, when it is not plain, its default.
    public let doc: String

    /// Made only by `Param` (whose reads are typed), so every parameter is described once.
    init(_ name: String, default defaultValue: Value? = nil, keywordOnly: Bool = false, doc: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.keywordOnly = keywordOnly
        self.doc = doc
    }
}

/// A function implemented in Swift. Host modules make these and add them to a `Registry`.
public final class NativeFunction: Function, @unchecked Sendable {
    public let parameters: [NativeParameter]
    /// Extra positional arguments are collected in `call.rest` instead of being an error.
    public let variadic: Bool
    /// Named arguments that match no parameter are collected in `call.extraNamed`.
    public let acceptsExtraNamed: Bool
    let summary: String
    let body: (inout NativeCall) throws(LoopError) -> Value
    /// Indices of the parameters that positional arguments fill, in order.
    let positionalParameterIndices: [Int]

    public init(
        _ name: String,
        _ parameters: [NativeParameter] = [],
        variadic: Bool = false,
        acceptsExtraNamed: Bool = false,
        doc: String,
        body: @escaping (inout NativeCall) throws(LoopError) -> Value
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.acceptsExtraNamed = acceptsExtraNamed
        self.summary = doc
        self.body = body
        self.positionalParameterIndices = parameters.indices.filter { !parameters[$0].keywordOnly }
        super.init(name: name, isClosure: false)
    }

    public override var doc: String? { summary }
    public override var parameterNames: [String] { parameters.map(\.name) }

    /// The same function with `check` run before its body: how a host puts one capability check
    /// in front of every primitive it registers.
    public func guarded(by check: @escaping (NativeCall) throws(LoopError) -> Void) -> NativeFunction {
        let body = self.body
        return NativeFunction(name, parameters, variadic: variadic, acceptsExtraNamed: acceptsExtraNamed, doc: summary) { call throws(LoopError) in
            try check(call)
            return try body(&call)
        }
    }

    public override var signatureText: String {
        func text(_ p: NativeParameter) -> String { p.defaultValue.map { "\(p.name): \(Printer.repr($0))" } ?? p.name }
        var parts = parameters.filter { !$0.keywordOnly }.map(text)
        if variadic { parts.append("...") }
        parts += parameters.filter(\.keywordOnly).map(text)
        return "\(name)(\(parts.joined(separator: ", ")))"
    }
}

/// The arguments of one native call, already matched to the function's parameters.
public struct NativeCall {
    public let function: NativeFunction
    /// One entry per declared parameter, defaults filled in; read through `Param`s.
    var arguments: [Value]
    /// Extra positional arguments of a variadic function.
    public var rest: [Value]
    /// Named arguments that matched no parameter (only when `acceptsExtraNamed`).
    public var extraNamed: [(String, Value)]
    /// The receiver for a method (`xs` in `xs.append(1)`); `.nil` for plain functions.
    public var receiver: Value
    public let interpreter: Interpreter
    /// Per declared parameter: whether the caller gave it (false: the default was filled in).
    public var given: [Bool] = []
    /// Where the call is in the source (the whole call), when it came from `.loop` code.
    public var callSite: SourceSpan? = nil

    /// Whether the caller passed `name` (positionally or by name), rather than taking its default.
    func isGiven(_ name: String) -> Bool {
        guard let i = function.parameters.firstIndex(where: { $0.name == name }), i < given.count else { return false }
        return given[i]
    }

    /// The argument for the parameter `name`. Primitives read theirs through `Param`s
    /// (`call[P.epochs]`); this door by name is for mechanisms that work over many primitives
    /// (the capability gates), whose names are checked when they are registered. A name the
    /// function does not declare is a bug in Looplab, never a silent nil.
    public func value(_ name: String) -> Value {
        guard let i = function.parameters.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("\(function.name) has no parameter '\(name)'")
        }
        return arguments[i]
    }

    public func wrongType(_ parameter: String, expected: String, got value: Value) -> LoopError {
        LoopError(.wrongType(function: function.name, parameter: parameter, expected: expected, got: value.typeName))
    }

    func int(_ name: String) throws(LoopError) -> Int {
        let v = value(name)
        if let i = v.wholeNumber { return i }
        throw wrongType(name, expected: "an Int", got: v)
    }

    func double(_ name: String) throws(LoopError) -> Double {
        let v = value(name)
        if let d = v.number { return d }
        throw wrongType(name, expected: "a number", got: v)
    }

    func string(_ name: String) throws(LoopError) -> String {
        let v = value(name)
        if case .string(let s) = v { return s }
        throw wrongType(name, expected: "a String", got: v)
    }

    func bool(_ name: String) throws(LoopError) -> Bool {
        let v = value(name)
        if case .bool(let b) = v { return b }
        throw wrongType(name, expected: "a Bool", got: v)
    }

    func list(_ name: String) throws(LoopError) -> [Value] {
        let v = value(name)
        if case .list(let l) = v { return l }
        throw wrongType(name, expected: "a List", got: v)
    }

    /// Seconds, from a Duration or a plain number of seconds.
    func seconds(_ name: String) throws(LoopError) -> Double {
        let v = value(name)
        if case .duration(let d) = v { return d }
        if let d = v.number { return d }
        throw wrongType(name, expected: "a Duration", got: v)
    }

    /// The host object behind a handle argument, checked against its type.
    func handle<T: AnyObject>(_ name: String, as type: T.Type) throws(LoopError) -> T {
        let v = value(name)
        if case .handle(let h) = v, let object = h.object as? T { return object }
        throw wrongType(name, expected: "a \(String(describing: T.self))", got: v)
    }

    /// Calls a `.loop` function value (or a native one) with positional arguments.
    public func call(_ f: Value, _ args: [Value]) throws(LoopError) -> Value {
        try interpreter.call(f, args)
    }
}

/// A primitive's parameter declared once, with the Swift type its argument is read as. The
/// primitive reads the argument through this value (`try call[TrainParameters.epochs]`), so a
/// misspelt parameter is a compile error rather than a silent nil, and the parameter's name,
/// default and documentation line are written only here; `NativeParameters.list(...)` makes the
/// function's parameter list from the same values.
public struct Param<T>: Sendable {
    public let descriptor: NativeParameter
    let read: @Sendable (NativeCall, String) throws(LoopError) -> T

    public var name: String { descriptor.name }

    public init(_ descriptor: NativeParameter, read: @escaping @Sendable (NativeCall, String) throws(LoopError) -> T) {
        self.descriptor = descriptor
        self.read = read
    }
}

extension Param where T == Value {
    /// The argument as it was given (required when `default` is nil).
    public static func value(_ name: String, default value: Value? = nil, doc: String) -> Param {
        Param(NativeParameter(name, default: value, doc: doc)) { call, name in call.value(name) }
    }
    /// An argument that may be left out (nil).
    public static func optional(_ name: String, doc: String) -> Param { value(name, default: .nil, doc: doc) }
}

extension Param {
    /// A parameter whose argument `read` reads (by name), with `value` as its default.
    public static func reading(_ name: String, default value: Value?, doc: String,
                        _ read: @escaping @Sendable (NativeCall, String) throws(LoopError) -> T) -> Param {
        Param(NativeParameter(name, default: value, doc: doc), read: read)
    }

    /// A parameter that may be left out (nil); otherwise `read` reads its argument.
    public static func leftOutOrRead<U>(_ name: String, doc: String,
                                 _ read: @escaping @Sendable (NativeCall, String) throws(LoopError) -> U) -> Param<U?> {
        Param<U?>(NativeParameter(name, default: .nil, doc: doc)) { call, name throws(LoopError) in
            if case .nil = call.value(name) { return nil }
            return try read(call, name)
        }
    }
}

extension Param where T == Int {
    /// An Int the caller must give (`default` nil) or may leave out.
    public static func int(_ name: String, default value: Int? = nil, doc: String) -> Param {
        reading(name, default: value.map { .int($0) }, doc: doc) { call, name throws(LoopError) in try call.int(name) }
    }
}

extension Param where T == Double {
    /// A number (Int or Float) the caller must give (`default` nil) or may leave out.
    public static func number(_ name: String, default value: Double? = nil, doc: String) -> Param {
        reading(name, default: value.map { .float($0) }, doc: doc) { call, name throws(LoopError) in try call.double(name) }
    }

    /// Seconds, from a Duration or a plain number.
    public static func seconds(_ name: String, default value: Double? = nil, doc: String) -> Param {
        reading(name, default: value.map { .duration($0) }, doc: doc) { call, name throws(LoopError) in try call.seconds(name) }
    }
}

extension Param where T == [Value] {
    public static func list(_ name: String, default value: [Value]? = nil, doc: String) -> Param {
        reading(name, default: value.map { .list($0) }, doc: doc) { call, name throws(LoopError) in try call.list(name) }
    }
}

extension Param where T == String {
    /// A String the caller must give (`default` nil) or may leave out.
    public static func string(_ name: String, default value: String? = nil, doc: String) -> Param {
        reading(name, default: value.map { .string($0) }, doc: doc) { call, name throws(LoopError) in try call.string(name) }
    }
}

extension Param where T == Bool {
    public static func bool(_ name: String, default value: Bool? = nil, doc: String) -> Param {
        reading(name, default: value.map { .bool($0) }, doc: doc) { call, name throws(LoopError) in try call.bool(name) }
    }
}

extension Param where T == Int? {
    public static func optionalInt(_ name: String, doc: String) -> Param {
        leftOutOrRead(name, doc: doc) { call, name throws(LoopError) in try call.int(name) }
    }
}

extension Param where T == Double? {
    public static func optionalNumber(_ name: String, doc: String) -> Param {
        leftOutOrRead(name, doc: doc) { call, name throws(LoopError) in try call.double(name) }
    }

    /// Seconds, from a Duration or a plain number; nil when the argument is nil. `default` is
    /// what a caller who leaves it out gets (nil: none).
    public static func optionalSeconds(_ name: String, default value: Double? = nil, doc: String) -> Param {
        reading(name, default: value.map { .duration($0) } ?? .nil, doc: doc) { call, name throws(LoopError) -> Double? in
            if case .nil = call.value(name) { return nil }
            return try call.seconds(name)
        }
    }
}

extension Param where T == String? {
    public static func optionalString(_ name: String, doc: String) -> Param {
        leftOutOrRead(name, doc: doc) { call, name throws(LoopError) in try call.string(name) }
    }
}

extension Param where T == Bool? {
    public static func optionalBool(_ name: String, doc: String) -> Param {
        leftOutOrRead(name, doc: doc) { call, name throws(LoopError) in try call.bool(name) }
    }
}

extension Param {
    /// The same parameter, filled only by name (see `NativeParameter.keywordOnly`).
    public func keywordOnly() -> Param {
        Param(NativeParameter(descriptor.name, default: descriptor.defaultValue, keywordOnly: true, doc: descriptor.doc), read: read)
    }

    /// The same parameter read as `U`: `transform` gets the argument read as `T`, the call (for
    /// the function's name in errors) and the parameter's name. How a host adds its own kinds
    /// (a Model, a Dataset) on top of the language's.
    public func map<U>(_ transform: @escaping @Sendable (T, NativeCall, String) throws(LoopError) -> U) -> Param<U> {
        let read = self.read
        return Param<U>(descriptor) { call, name throws(LoopError) in try transform(try read(call, name), call, name) }
    }
}

/// A function's parameter list from its typed parameters, in order.
public enum NativeParameters {
    public static func list<each T>(_ parameters: repeat Param<each T>) -> [NativeParameter] {
        var out: [NativeParameter] = []
        for p in repeat each parameters { out.append(p.descriptor) }
        return out
    }
}

extension NativeCall {
    /// The argument for `parameter`, read as its type. A parameter the function did not declare
    /// is a bug in Looplab, not in the program: it stops with a message naming both.
    public subscript<T>(_ parameter: Param<T>) -> T {
        get throws(LoopError) {
            precondition(function.parameters.contains { $0.name == parameter.name },
                         "\(function.name) reads the parameter '\(parameter.name)' it does not declare")
            return try parameter.read(self, parameter.name)
        }
    }

    /// Whether the caller gave `parameter` rather than taking its default.
    public func isGiven<T>(_ parameter: Param<T>) -> Bool { isGiven(parameter.name) }
}
