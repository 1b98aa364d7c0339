/// A member of a host type: a property read without parentheses, or a method.
public enum HostMember {
    case property(doc: String, get: (AnyObject) throws(LoopError) -> Value)
    /// A method: a native function whose `call.receiver` is the handle.
    case method(NativeFunction)
}

/// A kind of host object the language can hold (Model, Run, Study...): its name as `type(v)`
/// gives it, how it prints, and its members.
public final class HostType: @unchecked Sendable {
    public let name: String
    public let doc: String
    let summary: (AnyObject) -> String
    public private(set) var members: [String: HostMember]
    /// When set, `for x in handle` iterates: the closure returns the next value or nil at the end.
    let makeIterator: ((AnyObject, Interpreter) throws(LoopError) -> () throws(LoopError) -> Value?)?
    /// When set, an error raised by the body of `for x in handle` is handed to the handle first:
    /// returning true records it as consumed and the loop goes on with the next item (a study
    /// fails that trial and proposes the next); returning false lets it propagate. Interrupts
    /// and stack overflows always propagate.
    public var consumesBodyError: ((AnyObject, LoopError) throws(LoopError) -> Bool)?
    /// When set, called once when `for x in handle` ends, however it ends: with nil after the
    /// last item, `break` or `return`, or with the error that is leaving the loop (an interrupt
    /// included) before it propagates. A study uses it to settle the trial the body left running.
    /// An error it throws replaces the loop's.
    public var loopEnded: ((AnyObject, LoopError?) throws(LoopError) -> Void)?

    public init(
        name: String,
        doc: String,
        summary: @escaping (AnyObject) -> String,
        members: [String: HostMember] = [:],
        makeIterator: ((AnyObject, Interpreter) throws(LoopError) -> () throws(LoopError) -> Value?)? = nil
    ) {
        self.name = name
        self.doc = doc
        self.summary = summary
        self.members = members
        self.makeIterator = makeIterator
    }

    public func addMember(_ name: String, _ member: HostMember) { members[name] = member }
}

/// A reference to a host object. Two handles are `==` when they point at the same object.
public final class Handle: @unchecked Sendable {
    public let type: HostType
    public let object: AnyObject

    public init(_ type: HostType, _ object: AnyObject) {
        self.type = type
        self.object = object
    }
}

/// The names a host module adds to the language: native functions, constants and host types.
/// `Registry.core()` holds the language's own built-ins; `LoopLab` adds the rest.
public final class Registry: @unchecked Sendable {
    public private(set) var globals: [String: Value] = [:]
    /// One-line docs of constants (functions carry their own).
    public private(set) var docs: [String: String] = [:]
    public private(set) var types: [String: HostType] = [:]
    /// The order names were added in, for `:help` listings.
    public private(set) var order: [String] = []

    public init() {}

    /// The language's built-ins (print, len, math, json...). Hosts add theirs on top.
    public static func core() -> Registry {
        let registry = Registry()
        CoreBuiltins.register(into: registry)
        return registry
    }

    public func register(_ function: NativeFunction) {
        if globals[function.name] == nil { order.append(function.name) }
        globals[function.name] = .function(function)
    }

    /// Convenience: define and register a native function in one call.
    public func function(
        _ name: String,
        _ parameters: [NativeParameter] = [],
        variadic: Bool = false,
        acceptsExtraNamed: Bool = false,
        doc: String,
        body: @escaping (inout NativeCall) throws(LoopError) -> Value
    ) {
        register(NativeFunction(name, parameters, variadic: variadic, acceptsExtraNamed: acceptsExtraNamed, doc: doc, body: body))
    }

    public func constant(_ name: String, _ value: Value, doc: String) {
        if globals[name] == nil { order.append(name) }
        globals[name] = value
        docs[name] = doc
    }

    public func register(_ type: HostType) { types[type.name] = type }

    /// Setups run on each interpreter made with this registry, before any code runs: how a host
    /// installs per-interpreter hooks (`moduleResolver`, `skillObserver`) beside its natives.
    public private(set) var interpreterSetups: [(Interpreter) -> Void] = []

    public func onInterpreterCreated(_ setup: @escaping (Interpreter) -> Void) { interpreterSetups.append(setup) }

    public func doc(for name: String) -> String? {
        if let d = docs[name] { return d }
        if case .function(let f)? = globals[name] { return f.doc }
        return nil
    }
}
