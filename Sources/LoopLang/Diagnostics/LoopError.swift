import LoopSupport

/// Everything that can go wrong in `.loop` code, as data. Prose lives only in `Messages.swift`;
/// rendering (file:line:col, caret, call stack) only in `Renderer.swift`.
public enum Problem: Sendable, Equatable {
    // Syntax: found while reading source.
    case unexpectedCharacter(String)
    case unterminatedString
    case invalidEscape(String)
    case invalidNumber(String)
    case integerLiteralTooLarge(String)
    case unexpectedToken(found: String, expected: String)
    /// The input ended inside an unfinished construct; the REPL asks for another line.
    case incompleteInput(expected: String)
    case nestingTooDeep
    case chainedComparison
    case invalidAssignmentTarget
    case duplicateParameter(String)
    case positionalAfterNamed
    case outsideLoop(String)
    case returnOutsideFunction
    // Name resolution: found before running, by the compiler (and `looplab check`).
    case undefinedVariable(String)
    case redeclared(String)
    case assignToConstant(String)
    case uninitialized(String)
    // Runtime.
    case unsupportedOperands(op: String, lhs: String, rhs: String)
    case unsupportedOperand(op: String, type: String)
    case notComparable(String, String)
    case notCallable(String)
    case noMember(type: String, member: String)
    case missingField(String)
    case indexOutOfRange(index: Int, count: Int)
    case badIndex(container: String, index: String)
    case notIterable(String)
    case integerOverflow(String)
    case divisionByZero
    case unknownArgument(function: String, name: String)
    case missingArgument(function: String, name: String)
    case duplicateArgument(function: String, name: String)
    case tooManyArguments(function: String, max: Int, given: Int)
    case wrongType(function: String, parameter: String, expected: String, got: String)
    case invalidValue(String)
    case assertionFailed(String)
    case raised(String)
    case interrupted
    case stackOverflow
    case circularUse(String)
    case useNotAtTopLevel
    case moduleNotFound(path: String, searched: [String])
    /// `use "path"` (without `as`) would bring in a name the importer already has: a built-in
    /// (`existing` nil) or one of its own names (`existing` is where that one comes from).
    case useClash(name: String, module: String, existing: String?)
    /// Building `what` would need more memory than the budget allows (see `MemoryBudget`).
    case outOfMemory(what: String, needed: Double, available: Double)
    /// The fuzzers' step budget (`StepBudget`) ran out.
    case stepBudgetExhausted(steps: Int)
    /// An error raised by a host primitive (a bad CSV, a failed run); `kind` is its category.
    case host(kind: String, message: String)
    /// `error("msg", kind: "value")`: a `.loop` error with a kind of the caller's choosing.
    case raisedKind(kind: String, message: String)
}

/// One `.loop` call on the stack when a runtime error was raised: the function's name and where
/// it was called from.
public struct TraceFrame: Sendable {
    public let function: String
    public let callSite: SourceSpan?
}

/// An error in `.loop` code: a problem, where it happened, and the `.loop` calls that led there.
/// A class so that a thrown error is one pointer: every compiled closure has a typed-throws
/// path, and a large error struct made each of their stack frames (and copies) large.
public final class LoopError: Error, @unchecked Sendable {
    public var problem: Problem
    public var span: SourceSpan?
    public var trace: [TraceFrame] = []
    /// Calls left out of `trace` (deep recursion keeps only the innermost few).
    public var omittedFrames = 0
    /// True when the error was found before anything ran (syntax, undefined names, `let`
    /// changes): `looplab` exits 2 for these and 1 for errors raised while running.
    public internal(set) var isStatic = false
    /// Names close to the unknown one the problem is about ("did you mean 'lr'?"), closest first.
    public var suggestions: [String] = []

    public init(_ problem: Problem, at span: SourceSpan? = nil) {
        self.problem = problem
        self.span = span
    }

    /// An error about the unknown `name`, suggesting the candidates close to it.
    public init(_ problem: Problem, at span: SourceSpan? = nil, unknown name: String, among candidates: some Sequence<String>) {
        self.problem = problem
        self.span = span
        suggestions = NameSuggestions.nearest(to: name, in: candidates)
    }

    /// True when the source is fine so far but ended too early: the REPL should read another line.
    public var isIncompleteInput: Bool {
        if case .incompleteInput = problem { return true }
        return false
    }

    public var isSyntaxError: Bool { kind == "syntax" }
}
