/// Who a piece of loaded code runs as. A host gives the modules it loads from untrusted places
/// (skill packs) a principal; while a function compiled from such a module runs, its principal is
/// on the interpreter's principal stack, so host primitives can check what that code may do.
/// Identity is the object: two principals with the same name are different principals.
public final class Principal: @unchecked Sendable {
    public let name: String
    /// Whatever the host needs to decide (for Looplab, the pack's granted permissions).
    public let payload: AnyObject?

    public init(name: String, payload: AnyObject? = nil) {
        self.name = name
        self.payload = payload
    }
}

/// A `use "..."` request, as a host resolver sees it.
public struct UseRequest: Sendable {
    /// The string after `use`, as written (`"sweep@^1.2"`, `"lib/util.loop"`).
    public let path: String
    /// The path of the file that contains the `use`, when it came from a file.
    public let fromFile: String?
}

/// Where a host resolver found the code for a `use`.
public struct ResolvedModule: Sendable {
    public let path: String
    public let principal: Principal?

    public init(path: String, principal: Principal? = nil) {
        self.path = path
        self.principal = principal
    }
}

/// What a skill observer learns when a `skill` starts running.
public struct SkillCall: Sendable {
    public let name: String
    /// The skill's source text, as the library stores and hashes it.
    public let source: String
}

/// A `skill` value's metadata, for the skill library.
public struct SkillDescription: Sendable {
    public let name: String
    public let doc: String?
    public let source: String
    /// Parameter names in order, each with whether it has a default.
    public let parameters: [(name: String, hasDefault: Bool)]
    /// The text of the file (or REPL cell) the skill was defined in, for finding its helpers.
    public let fileText: String
}

extension Function {
    /// The declaration's source text of a `.loop` function; nil for natives.
    public var sourceText: String? { isClosure ? unsafeDowncast(self, to: Closure.self).proto.source : nil }

    /// The skill metadata of a `skill` declaration; nil for `fn`s and natives.
    public var skillDescription: SkillDescription? {
        guard isClosure else { return nil }
        let proto = unsafeDowncast(self, to: Closure.self).proto
        guard proto.isSkill else { return nil }
        return SkillDescription(name: proto.name, doc: proto.doc, source: proto.source,
                                parameters: zip(proto.parameterNames, proto.defaults).map { ($0, $1 != nil) },
                                fileText: proto.span.file.text)
    }
}

extension Interpreter {
    /// The principals of the code on the call stack, outermost first. Empty when only trusted
    /// code (scripts, the REPL, the user's library, stdlib) is running.
    public var activePrincipals: [Principal] { runtime.principals }
}

extension Runtime {
    /// Wraps compiled code so that it runs as `principal`. Errors pop the principal too.
    func runningAs(_ principal: Principal, _ code: @escaping Code) -> Code {
        { [unowned(unsafe) self] base throws(LoopError) in
            principals.append(principal)
            defer { principals.removeLast() }
            return try code(base)
        }
    }

    /// Wraps a skill's body so that the host's observer hears of every call.
    func announcing(_ call: SkillCall, _ code: @escaping Code) -> Code {
        { [unowned(unsafe) self] base throws(LoopError) in
            interpreter.skillObserver?(call)
            return try code(base)
        }
    }
}
