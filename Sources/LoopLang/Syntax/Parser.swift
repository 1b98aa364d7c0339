/// Recursive-descent parser. Reports the first problem only; reaching the end of input where more
/// was needed is reported as `incompleteInput` so the REPL can ask for a continuation line.
public struct Parser {
    static let maxDepth = 160
    /// Operands one chain of a left-associative operator may have (`1 + 1 + ...`). Such a chain
    /// needs no bracket, so `maxDepth` does not see it, yet compiling and running it recurses once
    /// per operand.
    static let maxChain = 10_000
    /// How deep the finished tree may be, chains and nesting together (checked once per file, without
    /// recursion); the compiler and the runtime recurse this deep on the interpreter's 1 GiB stack.
    static let maxTreeDepth = 20_000

    let file: SourceFile
    var tokens: [Token]
    var pos = 0
    var depth = 0
    /// False in the head of `if`/`while`/`for`, where `{` opens the block rather than a call.
    var allowBraceCall = true
    /// Inside `\( )` of a string the end of the tokens is the closing parenthesis, not end of input.
    let isInterpolation: Bool

    init(file: SourceFile, tokens: [Token], isInterpolation: Bool = false) {
        self.file = file
        self.tokens = tokens
        self.isInterpolation = isInterpolation
    }

    /// Parses a whole file or REPL cell.
    public static func parse(_ file: SourceFile) throws(LoopError) -> Program {
        var parser = Parser(file: file, tokens: try Lexer.tokenize(file))
        let program = Program(statements: try parser.parseStatements(untilBrace: false), file: file)
        if let deep = program.firstTooDeep(limit: maxTreeDepth) { throw LoopError(.nestingTooDeep, at: deep) }
        return program
    }

    // MARK: token helpers

    var current: Token { tokens[pos] }

    func span(_ start: Int, _ end: Int) -> SourceSpan { SourceSpan(file: file, start: start, end: end) }
    func span(of t: Token) -> SourceSpan { span(t.start, t.end) }
    var previousEnd: Int { pos > 0 ? tokens[pos - 1].end : 0 }

    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func check(_ p: Punct) -> Bool { current.isPunct(p) }
    func check(_ k: Keyword) -> Bool { current.isKeyword(k) }
    var atNewline: Bool { if case .newline = current.kind { true } else { false } }
    var atEOF: Bool { if case .eof = current.kind { true } else { false } }

    mutating func match(_ p: Punct) -> Bool {
        if check(p) { _ = advance(); return true }
        return false
    }

    mutating func match(_ k: Keyword) -> Bool {
        if check(k) { _ = advance(); return true }
        return false
    }

    mutating func skipNewlines() {
        while atNewline { _ = advance() }
    }

    /// The error for finding `current` where `expected` was needed.
    func unexpected(_ expected: String) -> LoopError {
        if atEOF && !isInterpolation {
            return LoopError(.incompleteInput(expected: expected), at: span(current.start, current.end))
        }
        let found = atEOF ? "')'" : current.description
        return LoopError(.unexpectedToken(found: found, expected: expected), at: span(of: current))
    }

    @discardableResult
    mutating func expect(_ p: Punct, _ what: String? = nil) throws(LoopError) -> Token {
        guard check(p) else { throw unexpected(what ?? "'\(p.rawValue)'") }
        return advance()
    }

    mutating func expectIdentifier(_ what: String) throws(LoopError) -> (String, SourceSpan) {
        guard case .identifier(let name) = current.kind else { throw unexpected(what) }
        let t = advance()
        return (name, span(of: t))
    }

    mutating func enter() throws(LoopError) {
        depth += 1
        if depth > Parser.maxDepth { throw LoopError(.nestingTooDeep, at: span(of: current)) }
    }

    /// Counts one more operand of a left-associative chain; too many is "nested too deeply".
    func extendChain(_ links: inout Int) throws(LoopError) {
        links += 1
        if links > Parser.maxChain { throw LoopError(.nestingTooDeep, at: span(of: current)) }
    }

    // MARK: statements

    mutating func parseStatements(untilBrace: Bool) throws(LoopError) -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            while atNewline || check(.semicolon) { _ = advance() }
            if untilBrace && check(.rbrace) { return statements }
            if atEOF {
                if untilBrace { throw unexpected("'}'") }
                return statements
            }
            statements.append(try parseStatement())
            // A statement ends at a newline, ';', a closing brace or the end of input.
            if atNewline || check(.semicolon) || atEOF || (untilBrace && check(.rbrace)) { continue }
            throw unexpected("a newline or ';' after the statement")
        }
    }

    mutating func parseBlock() throws(LoopError) -> Block {
        try enter()
        defer { depth -= 1 }
        let open = try expect(.lbrace, "'{'")
        let saved = allowBraceCall
        allowBraceCall = true
        defer { allowBraceCall = saved }
        let statements = try parseStatements(untilBrace: true)
        let close = try expect(.rbrace)
        return Block(statements: statements, span: span(open.start, close.end))
    }

    mutating func parseStatement() throws(LoopError) -> Stmt {
        let start = current.start
        switch current.kind {
        case .keyword(.let), .keyword(.var):
            let mutable = check(.var)
            _ = advance()
            let (name, nameSpan) = try expectIdentifier("a variable name")
            try expect(.assign, "'=' after the variable name")
            let value = try parseExpression()
            return Stmt(kind: .declaration(name: name, mutable: mutable, value: value, nameSpan: nameSpan), span: span(start, previousEnd))
        case .keyword(.fn):
            if case .identifier = tokens[min(pos + 1, tokens.count - 1)].kind {
                let decl = try parseFunction(isSkill: false)
                return Stmt(kind: .function(decl), span: decl.span)
            }
        case .keyword(.skill):
            let decl = try parseFunction(isSkill: true)
            return Stmt(kind: .function(decl), span: decl.span)
        case .keyword(.while):
            _ = advance()
            let condition = try parseHead()
            let body = try parseBlock()
            return Stmt(kind: .while(condition, body), span: span(start, previousEnd))
        case .keyword(.for):
            _ = advance()
            var names: [String] = []
            var spans: [SourceSpan] = []
            let (first, firstSpan) = try expectIdentifier("a loop variable name")
            names.append(first); spans.append(firstSpan)
            if match(.comma) {
                let (second, secondSpan) = try expectIdentifier("a second loop variable name")
                names.append(second); spans.append(secondSpan)
            }
            guard match(.in) else { throw unexpected("'in'") }
            let sequence = try parseHead()
            let body = try parseBlock()
            return Stmt(kind: .for(names, sequence, body, nameSpans: spans), span: span(start, previousEnd))
        case .keyword(.break):
            _ = advance()
            return Stmt(kind: .break, span: span(start, previousEnd))
        case .keyword(.continue):
            _ = advance()
            return Stmt(kind: .continue, span: span(start, previousEnd))
        case .keyword(.return):
            _ = advance()
            if atNewline || atEOF || check(.semicolon) || check(.rbrace) {
                return Stmt(kind: .return(nil), span: span(start, previousEnd))
            }
            let value = try parseExpression()
            return Stmt(kind: .return(value), span: span(start, previousEnd))
        case .keyword(.use):
            _ = advance()
            guard case .string(let parts) = current.kind, parts.count == 1, case .text(let path) = parts[0] else {
                throw unexpected("a file path string after 'use'")
            }
            _ = advance()
            var alias: String? = nil
            if match(.as) { alias = try expectIdentifier("a name after 'as'").0 }
            return Stmt(kind: .use(path: path, alias: alias), span: span(start, previousEnd))
        default:
            break
        }
        let expr = try parseExpression()
        let assignOps: [Punct: BinaryOp?] = [.assign: nil, .plusAssign: .add, .minusAssign: .subtract,
                                              .starAssign: .multiply, .slashAssign: .divide]
        if case .punct(let p) = current.kind, let op = assignOps[p] {
            let opToken = advance()
            switch expr.kind {
            case .identifier, .member, .index: break
            default: throw LoopError(.invalidAssignmentTarget, at: expr.span.to(span(of: opToken)))
            }
            let value = try parseExpression()
            return Stmt(kind: .assign(target: expr, op: op, value: value), span: span(start, previousEnd))
        }
        return Stmt(kind: .expression(expr), span: expr.span)
    }

    /// The head of `if`, `while` or `for`: an expression after which `{` opens the body.
    mutating func parseHead() throws(LoopError) -> Expr {
        let saved = allowBraceCall
        allowBraceCall = false
        defer { allowBraceCall = saved }
        return try parseExpression()
    }

    mutating func parseFunction(isSkill: Bool) throws(LoopError) -> FunctionDecl {
        let start = advance().start  // `fn` or `skill`
        var name: String? = nil
        var nameSpan = span(start, previousEnd)
        if case .identifier(let n) = current.kind {
            name = n
            nameSpan = span(of: advance())
        } else if isSkill {
            throw unexpected("a skill name")
        }
        let parameters = try parseParameters()
        var doc: String? = nil
        if isSkill {
            skipNewlines()
            if case .string(let parts) = current.kind {
                _ = advance()
                doc = parts.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
                skipNewlines()
            }
        } else if name != nil {
            doc = commentDoc(above: start)
        }
        let body = try parseBlock()
        return FunctionDecl(name: name, parameters: parameters, body: body, isSkill: isSkill, doc: doc,
                            span: span(start, previousEnd), nameSpan: nameSpan)
    }

    mutating func parseParameters() throws(LoopError) -> [Parameter] {
        try expect(.lparen, "'(' to start the parameter list")
        var parameters: [Parameter] = []
        while !check(.rparen) {
            let (name, nameSpan) = try expectIdentifier("a parameter name")
            if parameters.contains(where: { $0.name == name }) {
                throw LoopError(.duplicateParameter(name), at: nameSpan)
            }
            var defaultValue: Expr? = nil
            if match(.assign) { defaultValue = try parseExpression() }
            parameters.append(Parameter(name: name, defaultValue: defaultValue, span: nameSpan))
            if !match(.comma) { break }
        }
        try expect(.rparen, "',' or ')' in the parameter list")
        return parameters
    }

    /// `#` comment lines directly above a declaration, as its documentation.
    func commentDoc(above offset: Int) -> String? {
        var line = file.location(of: offset).line - 1
        var lines: [String] = []
        while line >= 1 {
            let text = file.lineText(line).drop(while: { $0 == " " || $0 == "\t" })
            guard text.hasPrefix("#"), !text.hasPrefix("# %%"), !text.hasPrefix("#!") else { break }
            lines.insert(String(text.dropFirst().drop(while: { $0 == " " })), at: 0)
            line -= 1
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}
