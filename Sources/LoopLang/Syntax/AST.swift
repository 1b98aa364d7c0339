/// The syntax tree. Every node carries the span it came from, for diagnostics.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case int(Int)
        case float(Double)
        case duration(Double)
        case bool(Bool)
        case `nil`
        case string([StringSegment])
        case identifier(String)
        case list([Expr])
        case record([RecordEntry])
        case negate(Expr)
        case not(Expr)
        case binary(BinaryOp, Expr, Expr)
        case and(Expr, Expr)
        case or(Expr, Expr)
        case range(Expr, Expr, closed: Bool)
        case call(Expr, [Argument])
        case member(Expr, String)
        case index(Expr, Expr)
        case function(FunctionDecl)
        case block(Block)
        case `if`(Expr, Block, Expr?)
        case `try`(Block, String?, Block)
    }
    public let kind: Kind
    public let span: SourceSpan
}

public enum StringSegment: Sendable {
    case text(String)
    case code(Expr)
}

public struct RecordEntry: Sendable {
    public let key: String
    public let value: Expr
}

public struct Argument: Sendable {
    public let label: String?
    public let value: Expr
    public let span: SourceSpan
}

public enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in` = "in"
}

public struct Parameter: Sendable {
    public let name: String
    public let defaultValue: Expr?
    public let span: SourceSpan
}

public final class FunctionDecl: Sendable {
    public let name: String?
    public let parameters: [Parameter]
    public let body: Block
    public let isSkill: Bool
    /// A skill's doc string, or the `#` comment lines directly above a `fn`.
    public let doc: String?
    public let span: SourceSpan
    public let nameSpan: SourceSpan

    init(name: String?, parameters: [Parameter], body: Block, isSkill: Bool, doc: String?, span: SourceSpan, nameSpan: SourceSpan) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.isSkill = isSkill
        self.doc = doc
        self.span = span
        self.nameSpan = nameSpan
    }

    /// The declaration's source text, kept as skill metadata.
    public var source: String { span.file.text(of: span) }
}

public struct Block: Sendable {
    public let statements: [Stmt]
    public let span: SourceSpan
}

public struct Stmt: Sendable {
    public enum Kind: Sendable {
        case expression(Expr)
        case declaration(name: String, mutable: Bool, value: Expr, nameSpan: SourceSpan)
        case function(FunctionDecl)
        case assign(target: Expr, op: BinaryOp?, value: Expr)
        case `while`(Expr, Block)
        case `for`([String], Expr, Block, nameSpans: [SourceSpan])
        case `break`
        case `continue`
        case `return`(Expr?)
        case use(path: String, alias: String?)
    }
    public let kind: Kind
    public let span: SourceSpan
}

/// A parsed file or REPL cell.
public struct Program: Sendable {
    public let statements: [Stmt]
    public let file: SourceFile
}
