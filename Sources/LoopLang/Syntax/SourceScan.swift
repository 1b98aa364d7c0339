/// What the REPL needs to know about text the parser may not accept yet (a half-typed line, a
/// cell still being pasted): is the end inside a string, are brackets open, does the code end
/// with `;`, which identifiers does it mention. The language's own lexer answers, in its
/// tolerant mode, so the REPL and the language never disagree about where a string or a comment
/// ends.
///
/// Text can be fed in pieces (the REPL feeds each line of a cell once): the scan resumes where
/// the previous piece left the lexer at top level — or inside a multi-line string — so pasting a
/// 10,000-line cell costs one pass, not one per line.
public struct SourceScan {
    private var bytes: [UInt8] = []
    /// Where the next piece is lexed from, and in what state.
    private var resumeOffset = 0
    private var resumeBrackets: [UInt8] = []
    private var resumeInsideStringOpenedAt: Int?
    /// What lies before `resumeOffset`, already counted.
    private var settledIdentifiers: [String] = []
    private var settledEndsWithSemicolon = false

    /// Identifiers (and keywords) in code, not in strings or comments, in order.
    public private(set) var identifiers: [String] = []
    /// True when the code ends with `;` (the REPL then hides the cell's result).
    public private(set) var endsWithSemicolon = false
    /// When the text ends inside a string literal: the UTF-8 offset just after its opening quote(s).
    public private(set) var openStringContentStart: Int?
    /// Brackets (`(`, `[`, `{`) opened in top-level code and not closed yet.
    public private(set) var openBrackets = 0
    /// A one-line string ran into the end of its line: the parser will report it, so the
    /// brackets counted around it prove nothing.
    private var sawBrokenString = false
    private var endsInsideString = false

    public init(_ text: String = "") { feed(text) }

    /// True when the text so far certainly ends inside something unfinished (an open bracket or
    /// string), so the parser need not be asked whether it is complete.
    public var isCertainlyIncomplete: Bool { !sawBrokenString && (openBrackets > 0 || endsInsideString) }

    /// Scans more text as if appended to what was scanned before.
    public mutating func feed(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        var lexer = Lexer(tolerantOver: bytes, from: resumeOffset)
        let tokens = lexer.scan(brackets: resumeBrackets, insideMultilineStringOpenedAt: resumeInsideStringOpenedAt)
        sawBrokenString = sawBrokenString || lexer.sawBrokenString

        var names: [String] = []
        var lastIsSemicolon: Bool?
        for token in tokens {
            Self.collectIdentifiers(token, into: &names)
            switch token.kind {
            case .eof, .newline: break
            case .punct(let p): lastIsSemicolon = p == .semicolon
            default: lastIsSemicolon = false
            }
        }
        identifiers = settledIdentifiers + names
        endsWithSemicolon = lastIsSemicolon ?? settledEndsWithSemicolon
        openBrackets = lexer.openBrackets.count

        switch lexer.open {
        case nil:
            openStringContentStart = nil
            endsInsideString = false
            settle(at: bytes.count, brackets: lexer.openBrackets, insideStringOpenedAt: nil, identifiers: names, lastIsSemicolon: lastIsSemicolon)
        case .string(let start, let contentStart, let resumeLine):
            openStringContentStart = contentStart
            endsInsideString = true
            if let resumeLine {
                // Inside a top-level multi-line string: the next piece goes on with its lines.
                settle(at: resumeLine, brackets: lexer.openBrackets, insideStringOpenedAt: start, identifiers: names,
                       lastIsSemicolon: lastIsSemicolon)
            } else {
                settleBefore(tokens, brackets: lexer.openBrackets)
            }
        case .interpolation:
            openStringContentStart = nil
            endsInsideString = true
            settleBefore(tokens, brackets: lexer.openBrackets)
        }
    }

    private mutating func settle(at offset: Int, brackets: [UInt8], insideStringOpenedAt: Int?, identifiers names: [String],
                                 lastIsSemicolon: Bool?) {
        resumeOffset = offset
        resumeBrackets = brackets
        resumeInsideStringOpenedAt = insideStringOpenedAt
        settledIdentifiers += names
        settledEndsWithSemicolon = lastIsSemicolon ?? settledEndsWithSemicolon
    }

    /// The text ends inside the last top-level token (a string with an open interpolation): the
    /// next piece lexes that token again from its start.
    private mutating func settleBefore(_ tokens: [Token], brackets: [UInt8]) {
        guard let unfinished = tokens.last(where: { if case .eof = $0.kind { false } else { true } }) else { return }
        var names: [String] = []
        var lastIsSemicolon: Bool?
        for token in tokens where token.start < unfinished.start {
            Self.collectIdentifiers(token, into: &names)
            if case .punct(let p) = token.kind { lastIsSemicolon = p == .semicolon } else if case .newline = token.kind {} else { lastIsSemicolon = false }
        }
        settle(at: unfinished.start, brackets: brackets, insideStringOpenedAt: nil, identifiers: names, lastIsSemicolon: lastIsSemicolon)
    }

    private static func collectIdentifiers(_ token: Token, into names: inout [String]) {
        switch token.kind {
        case .identifier(let name): names.append(name)
        case .keyword(let k): names.append(k.rawValue)
        case .string(let parts):
            for case .code(let inner, _, _) in parts { for t in inner { collectIdentifiers(t, into: &names) } }
        default: break
        }
    }
}
