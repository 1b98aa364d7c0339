import LoopSupport

/// The one place where problems become words.
extension Problem {
    /// The error's category, as `.loop` code sees it in `e.kind`.
    public var kind: String {
        switch self {
        case .unexpectedCharacter, .unterminatedString, .invalidEscape, .invalidNumber,
             .integerLiteralTooLarge, .unexpectedToken, .incompleteInput, .nestingTooDeep,
             .chainedComparison, .invalidAssignmentTarget, .duplicateParameter, .positionalAfterNamed,
             .outsideLoop, .returnOutsideFunction, .useNotAtTopLevel:
            return "syntax"
        case .undefinedVariable, .redeclared, .uninitialized, .moduleNotFound, .circularUse, .useClash: return "name"
        case .outOfMemory: return "memory"
        case .stepBudgetExhausted: return "budget"
        case .assignToConstant: return "constant"
        case .unsupportedOperands, .unsupportedOperand, .notComparable, .notCallable, .notIterable,
             .wrongType:
            return "type"
        case .noMember, .missingField: return "key"
        case .indexOutOfRange, .badIndex: return "index"
        case .integerOverflow, .divisionByZero: return "arithmetic"
        case .unknownArgument, .missingArgument, .duplicateArgument, .tooManyArguments: return "argument"
        case .invalidValue: return "value"
        case .assertionFailed: return "assertion"
        case .raised: return "error"
        case .interrupted: return "interrupted"
        case .stackOverflow: return "recursion"
        case .host(let kind, _), .raisedKind(let kind, _): return kind
        }
    }

    public var message: String {
        switch self {
        case .unexpectedCharacter(let c): return "unexpected character '\(c)'"
        case .unterminatedString: return "unterminated string literal"
        case .invalidEscape(let e): return "invalid escape sequence '\\\(e)' in string"
        case .invalidNumber(let t): return "invalid number literal '\(clip(t))'"
        case .integerLiteralTooLarge(let t): return "integer literal '\(clip(t))' does not fit in 64 bits"
        case .unexpectedToken(let found, let expected): return "expected \(expected), found \(clip(found))"
        case .incompleteInput(let expected): return "unexpected end of input: expected \(expected)"
        case .nestingTooDeep: return "expression is nested too deeply"
        case .chainedComparison: return "comparisons cannot be chained; combine them with 'and'"
        case .invalidAssignmentTarget: return "cannot assign to this expression"
        case .duplicateParameter(let n): return "duplicate parameter '\(n)'"
        case .positionalAfterNamed: return "positional argument after a named argument"
        case .outsideLoop(let w): return "'\(w)' outside of a loop"
        case .returnOutsideFunction: return "'return' outside of a function"
        case .undefinedVariable(let n): return "undefined variable '\(n)'"
        case .redeclared(let n): return "'\(n)' is already declared in this scope"
        case .assignToConstant(let n):
            return "cannot change '\(n)': it is declared with 'let' (use 'var' to allow changes)"
        case .uninitialized(let n): return "variable '\(n)' is used before its declaration ran"
        case .unsupportedOperands(let op, let l, let r): return "unsupported operand types for \(op): \(l) and \(r)"
        case .unsupportedOperand(let op, let t): return "unsupported operand type for \(op): \(t)"
        case .notComparable(let l, let r): return "cannot compare \(l) with \(r)"
        case .notCallable(let t): return "a value of type \(t) is not callable"
        case .noMember(let t, let m): return "\(t) has no member '\(m)'"
        case .missingField(let k): return "record has no field '\(k)'"
        case .indexOutOfRange(let i, let n): return "index \(i) out of range for length \(n)"
        case .badIndex(let c, let i): return "cannot index \(c) with \(i)"
        case .notIterable(let t): return "cannot iterate over a value of type \(t)"
        case .integerOverflow(let op): return "integer overflow in '\(op)'"
        case .divisionByZero: return "division by zero"
        case .unknownArgument(let f, let n): return "\(f)() has no parameter named '\(n)'"
        case .missingArgument(let f, let n): return "\(f)() missing argument for parameter '\(n)'"
        case .duplicateArgument(let f, let n): return "\(f)() got more than one value for parameter '\(n)'"
        case .tooManyArguments(let f, let m, let g):
            return "\(f)() takes at most \(m) positional argument\(m == 1 ? "" : "s") but \(g) were given"
        case .wrongType(let f, let p, let e, let g): return "\(f)() expects \(e) for '\(p)', got \(g)"
        case .invalidValue(let m): return m
        case .assertionFailed(let m): return m.isEmpty ? "assertion failed" : "assertion failed: \(m)"
        case .raised(let m): return m
        case .interrupted: return "interrupted"
        case .stackOverflow: return "stack overflow (recursion nested too deeply)"
        case .circularUse(let p): return "circular use of '\(p)'"
        case .useNotAtTopLevel: return "'use' is only allowed at the top level of a file or cell"
        case .moduleNotFound(let p, let searched):
            return "cannot find '\(p)' (searched: \(searched.joined(separator: ", ")))"
        case .useClash(let name, let module, let existing):
            let other = existing.map { "the '\(name)' \($0)" } ?? "the built-in \(name)"
            return "use \"\(module)\" would replace \(other) with its own '\(name)'; "
                + "write `use \"\(module)\" as m` and call m.\(name) instead"
        case .outOfMemory(let what, let needed, let available):
            return "\(what) " + MemoryBudget.Exceeded(needed: needed, available: available).explanation
        case .stepBudgetExhausted(let steps): return "step budget of \(steps) steps used up"
        case .host(_, let m), .raisedKind(_, let m): return m
        }
    }
}

/// Source text quoted in a message, cut to a readable length (a token may be megabytes long).
private func clip(_ text: String) -> String {
    text.count <= 60 ? text : String(text.prefix(40)) + "…(\(text.count) characters)"
}

extension LoopError {
    public var kind: String { problem.kind }
    /// The problem in words, with the names close to an unknown one; the bare problem when
    /// nothing is close, so a message stays what the language contract says it is.
    public var message: String { problem.message + NameSuggestions.phrase(suggestions) }
}
