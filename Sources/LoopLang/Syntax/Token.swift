public enum Keyword: String, CaseIterable, Sendable {
    case `let`, `var`, `fn`, skill, use, `as`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`
    case `return`, `try`, `catch`, `true`, `false`, `nil`, and, or, not
}

public enum Punct: String, CaseIterable, Sendable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", dot = ".", colon = ":", semicolon = ";"
    case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case halfOpenRange = "..<", closedRange = "...", pipe = "|>"
}

/// A piece of a string literal: literal text, or the tokens of an interpolated `\(expr)`.
public enum StringPart: Sendable {
    case text(String)
    case code([Token], start: Int, end: Int)
}

public enum TokenKind: Sendable {
    case identifier(String)
    case keyword(Keyword)
    case int(Int)
    case float(Double)
    /// A duration literal, in seconds.
    case duration(Double)
    case string([StringPart])
    case punct(Punct)
    case newline
    case eof
}

public struct Token: Sendable {
    public let kind: TokenKind
    public let start: Int
    public let end: Int

    /// How the token is named in "expected X, found Y" messages.
    var description: String {
        switch kind {
        case .identifier(let n): return "'\(n)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .int, .float, .duration: return "a number"
        case .string: return "a string"
        case .punct(let p): return "'\(p.rawValue)'"
        case .newline: return "a newline"
        case .eof: return "end of input"
        }
    }

    func isPunct(_ p: Punct) -> Bool {
        if case .punct(let q) = kind { return q == p }
        return false
    }

    func isKeyword(_ k: Keyword) -> Bool {
        if case .keyword(let q) = kind { return q == k }
        return false
    }

    /// After one of these a newline does not end the statement (the expression continues).
    var continuesLine: Bool {
        switch kind {
        case .punct(let p):
            switch p {
            case .rparen, .rbracket, .rbrace, .semicolon, .colon: return false
            default: return true
            }
        case .keyword(let k): return k == .and || k == .or || k == .not || k == .in
        default: return false
        }
    }
}
