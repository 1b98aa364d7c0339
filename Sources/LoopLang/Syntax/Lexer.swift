/// Turns source bytes into tokens. Newlines become `.newline` tokens only where they end a
/// statement: not inside `( )` or `[ ]`, and not after a token that continues the line.
///
/// In tolerant mode (`SourceScan`, the REPL's view of half-typed text) it never throws: a bad
/// character or number is skipped, a one-line string ends at its newline, and text that ends
/// inside a string or an interpolation is reported in `open` instead of being an error.
struct Lexer {
    static let maxNesting = 200

    let file: SourceFile
    private let b: [UInt8]
    private var i = 0

    /// What unfinished text ends inside (tolerant mode).
    enum Open {
        /// A string; `contentStart` is the offset just after its opening quote(s). A multi-line
        /// string at top level can be resumed at `resumeLine` (the start of its last, unfinished
        /// line), without lexing it again from its opening quotes.
        case string(start: Int, contentStart: Int, resumeLine: Int?)
        /// The code of a `\( )` interpolation.
        case interpolation
    }
    private let tolerant: Bool
    private(set) var open: Open?
    private(set) var sawBrokenString = false
    /// Brackets still open at the end of top-level code.
    private(set) var openBrackets: [UInt8] = []

    init(file: SourceFile) {
        self.file = file
        self.b = file.bytes
        self.tolerant = false
    }

    /// A tolerant lexer over `bytes` (errors are never reported, so no file is needed).
    init(tolerantOver bytes: [UInt8], from offset: Int) {
        self.file = Lexer.noFile
        self.b = bytes
        self.i = offset
        self.tolerant = true
    }
    private static let noFile = SourceFile(name: "<scan>", text: "")

    static func tokenize(_ file: SourceFile) throws(LoopError) -> [Token] {
        var lexer = Lexer(file: file)
        // A UTF-8 byte order mark (editors on Windows write one) is not part of the program.
        if lexer.b.starts(with: [0xEF, 0xBB, 0xBF]) { lexer.i = 3 }
        if lexer.b[lexer.i...].starts(with: [UInt8(ascii: "#"), UInt8(ascii: "!")]) { lexer.skipToEndOfLine() }
        return try lexer.lex(untilCloseParen: false, depth: 0)
    }

    private func error(_ p: Problem, _ start: Int, _ end: Int) -> LoopError {
        LoopError(p, at: SourceSpan(file: file, start: start, end: end))
    }

    private func peek(_ k: Int = 0) -> UInt8 { i + k < b.count ? b[i + k] : 0 }

    private mutating func skipToEndOfLine() {
        while i < b.count, b[i] != UInt8(ascii: "\n") { i += 1 }
    }

    /// Tolerant mode: lexes from the lexer's offset to the end with `brackets` already open,
    /// first finishing a multi-line string opened at `stringStart` when resuming inside one.
    mutating func scan(brackets: [UInt8], insideMultilineStringOpenedAt stringStart: Int?) -> [Token] {
        precondition(tolerant)
        if i == 0 {
            if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            if b[i...].starts(with: [UInt8(ascii: "#"), UInt8(ascii: "!")]) { skipToEndOfLine() }
        }
        var tokens: [Token] = []
        if let stringStart {
            // Tolerant lexing never throws.
            guard let token = try? multilineStringBody(start: stringStart, depth: 0) else { return tokens }
            tokens.append(token)
            if open != nil {
                openBrackets = brackets
                return tokens
            }
        }
        tokens += (try? lex(untilCloseParen: false, depth: 0, brackets: brackets)) ?? []
        return tokens
    }

    /// Lexes to end of input, or (inside `\( )` of a string) to the `)` that closes the interpolation.
    private mutating func lex(untilCloseParen: Bool, depth: Int, brackets initial: [UInt8] = []) throws(LoopError) -> [Token] {
        var tokens: [Token] = []
        var brackets = initial
        func lastContinues() -> Bool { tokens.last.map { $0.continuesLine } ?? true }
        while true {
            let c = peek()
            if i >= b.count {
                if untilCloseParen {
                    guard tolerant else { throw error(.unterminatedString, i, i) }
                    if open == nil { open = .interpolation }
                }
                if !untilCloseParen { openBrackets = brackets }
                tokens.append(Token(kind: .eof, start: i, end: i))
                return tokens
            }
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "#"):
                skipToEndOfLine()
            case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
                i += 2  // explicit line continuation
            case UInt8(ascii: "\n"):
                let significant = brackets.last.map { $0 == UInt8(ascii: "{") } ?? true
                if significant, !lastContinues(), !(tokens.last.map { if case .newline = $0.kind { true } else { false } } ?? true) {
                    tokens.append(Token(kind: .newline, start: i, end: i + 1))
                }
                i += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if tolerant {
                    if let number = try? lexNumber() { tokens.append(number) }  // a bad one is skipped
                } else {
                    tokens.append(try lexNumber())
                }
            case UInt8(ascii: "\""):
                tokens.append(try lexString(depth: depth))
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                let start = i
                while i < b.count, isIdentChar(b[i]) { i += 1 }
                let word = String(decoding: b[start..<i], as: UTF8.self)
                let kind: TokenKind = Keyword(rawValue: word).map { .keyword($0) } ?? .identifier(word)
                tokens.append(Token(kind: kind, start: start, end: i))
            default:
                let start = i
                guard let p = lexPunct() else {
                    let scalarEnd = utf8ScalarEnd(from: i)
                    if tolerant { i = scalarEnd; continue }
                    throw error(.unexpectedCharacter(String(decoding: b[i..<scalarEnd], as: UTF8.self)), i, scalarEnd)
                }
                switch p {
                case .lparen, .lbracket, .lbrace:
                    if brackets.count >= Lexer.maxNesting, !tolerant { throw error(.nestingTooDeep, start, i) }
                    brackets.append(c)
                case .rparen, .rbracket, .rbrace:
                    if p == .rparen, untilCloseParen, brackets.isEmpty {
                        tokens.append(Token(kind: .eof, start: start, end: start))
                        return tokens
                    }
                    if !brackets.isEmpty { brackets.removeLast() }
                default: break
                }
                tokens.append(Token(kind: .punct(p), start: start, end: i))
            }
        }
    }

    private func isIdentChar(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private func utf8ScalarEnd(from start: Int) -> Int {
        var e = start + 1
        while e < b.count, b[e] & 0xC0 == 0x80 { e += 1 }
        return e
    }

    private mutating func lexPunct() -> Punct? {
        // Longest match first.
        for length in [3, 2, 1] where i + length <= b.count {
            let text = String(decoding: b[i..<(i + length)], as: UTF8.self)
            if let p = Punct(rawValue: text) {
                i += length
                return p
            }
        }
        return nil
    }

    private mutating func lexNumber() throws(LoopError) -> Token {
        let start = i
        var isFloat = false
        while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
            isFloat = true
            i += 1
            while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let signed = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
            if isDigit(peek(signed ? 2 : 1)) {
                isFloat = true
                i += signed ? 2 : 1
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        let digits = String(text.filter { $0 != "_" })
        if text.hasSuffix("_") || text.contains("__") { throw error(.invalidNumber(text), start, i) }
        // Duration suffixes: ms, s, m, h, d, not followed by more identifier characters.
        var unit: Double? = nil
        var unitLength = 0
        if peek() == UInt8(ascii: "m"), peek(1) == UInt8(ascii: "s"), !isIdentChar(peek(2)) {
            unit = 0.001; unitLength = 2
        } else if !isIdentChar(peek(1)) {
            switch peek() {
            case UInt8(ascii: "s"): unit = 1; unitLength = 1
            case UInt8(ascii: "m"): unit = 60; unitLength = 1
            case UInt8(ascii: "h"): unit = 3600; unitLength = 1
            case UInt8(ascii: "d"): unit = 86400; unitLength = 1
            default: break
            }
        }
        if isIdentChar(peek()), unit == nil {
            while i < b.count, isIdentChar(b[i]) { i += 1 }
            throw error(.invalidNumber(String(decoding: b[start..<i], as: UTF8.self)), start, i)
        }
        if let unit {
            i += unitLength
            guard let v = Double(digits) else { throw error(.invalidNumber(text), start, i) }
            return Token(kind: .duration(v * unit), start: start, end: i)
        }
        if isFloat {
            guard let v = Double(digits) else { throw error(.invalidNumber(text), start, i) }
            return Token(kind: .float(v), start: start, end: i)
        }
        guard let v = Int(digits) else { throw error(.integerLiteralTooLarge(text), start, i) }
        return Token(kind: .int(v), start: start, end: i)
    }

    private mutating func lexString(depth: Int) throws(LoopError) -> Token {
        let start = i
        if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
            return try lexMultilineString(depth: depth)
        }
        i += 1
        var parts: [StringPart] = []
        var text: [UInt8] = []
        while true {
            guard i < b.count, b[i] != UInt8(ascii: "\n") else {
                guard tolerant else { throw error(.unterminatedString, start, i) }
                // A one-line string ends at its line; at the end of the text it is still open.
                if i < b.count { sawBrokenString = true } else if open == nil { open = .string(start: start, contentStart: start + 1, resumeLine: nil) }
                break
            }
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c == UInt8(ascii: "\\") {
                try lexEscape(into: &text, parts: &parts, depth: depth)
            } else {
                text.append(c); i += 1
            }
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        return Token(kind: .string(parts), start: start, end: i)
    }

    /// At a backslash: appends an escaped character, or flushes text and lexes `\(expr)`.
    private mutating func lexEscape(into text: inout [UInt8], parts: inout [StringPart], depth: Int) throws(LoopError) {
        let escStart = i
        i += 1
        let e = peek()
        switch e {
        case UInt8(ascii: "n"): text.append(10)
        case UInt8(ascii: "t"): text.append(9)
        case UInt8(ascii: "r"): text.append(13)
        case UInt8(ascii: "0"): text.append(0)
        case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\""): text.append(UInt8(ascii: "\""))
        case UInt8(ascii: "("):
            if depth >= 16 {
                guard tolerant else { throw error(.nestingTooDeep, escStart, i) }
                return  // read on as text
            }
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))); text = [] }
            i += 1
            let codeStart = i
            let tokens = try lex(untilCloseParen: true, depth: depth + 1)
            let codeEnd = tokens.last?.start ?? i
            parts.append(.code(tokens, start: codeStart, end: codeEnd))
            return
        default:
            if i >= b.count || e == UInt8(ascii: "\n") {
                guard tolerant else { throw error(.unterminatedString, escStart, i) }
                return  // the string's own loop sees the end of the line or text
            }
            let end = utf8ScalarEnd(from: i)
            guard tolerant else { throw error(.invalidEscape(String(decoding: b[i..<end], as: UTF8.self)), escStart, end) }
            i = end
            return
        }
        i += 1
    }

    /// `"""` ... `"""`: content starts on the line after the opening quotes; the closing line's
    /// indentation is removed from every line, as in Swift.
    private mutating func lexMultilineString(depth: Int) throws(LoopError) -> Token {
        let start = i
        i += 3
        while i < b.count, b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") || b[i] == UInt8(ascii: "\r") { i += 1 }
        guard i < b.count else {
            guard tolerant else { throw error(.incompleteInput(expected: "the closing '\"\"\"'"), start, i) }
            if open == nil { open = .string(start: start, contentStart: start + 3, resumeLine: nil) }
            return Token(kind: .string([]), start: start, end: i)
        }
        guard b[i] == UInt8(ascii: "\n") else {
            guard tolerant else {
                throw error(.unexpectedToken(found: "text after '\"\"\"'", expected: "a newline after '\"\"\"'"), i, i + 1)
            }
            skipToEndOfLine()
            if i < b.count { i += 1 }
            return try multilineStringBody(start: start, depth: depth)
        }
        i += 1
        return try multilineStringBody(start: start, depth: depth)
    }

    /// The lines of a `"""` string from the lexer's offset (the start of a line inside it) to
    /// its closing delimiter.
    private mutating func multilineStringBody(start: Int, depth: Int) throws(LoopError) -> Token {
        // Lines of parts; find the closing delimiter to learn the indentation to strip.
        var lines: [[StringPart]] = []
        var indents: [Int] = []  // leading whitespace count in bytes of each line
        var closingIndent = 0
        lineLoop: while true {
            var parts: [StringPart] = []
            var text: [UInt8] = []
            let lineStart = i
            // Closing line?
            var j = i
            while j < b.count, b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "\t") { j += 1 }
            if j + 2 < b.count, b[j] == UInt8(ascii: "\""), b[j + 1] == UInt8(ascii: "\""), b[j + 2] == UInt8(ascii: "\"") {
                closingIndent = j - lineStart
                i = j + 3
                break lineLoop
            }
            indents.append(j - lineStart)
            while true {
                guard i < b.count else {
                    guard tolerant else { throw error(.incompleteInput(expected: "the closing '\"\"\"'"), start, i) }
                    if open == nil { open = .string(start: start, contentStart: start + 3, resumeLine: depth == 0 ? lineStart : nil) }
                    return Token(kind: .string([]), start: start, end: i)
                }
                let c = b[i]
                if c == UInt8(ascii: "\n") { i += 1; break }
                if c == UInt8(ascii: "\\") {
                    try lexEscape(into: &text, parts: &parts, depth: depth)
                } else {
                    text.append(c); i += 1
                }
            }
            if text.last == UInt8(ascii: "\r") { text.removeLast() }
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
            lines.append(parts)
        }
        var result: [StringPart] = []
        for (n, var parts) in lines.enumerated() {
            if case .text(let t)? = parts.first {
                let strip = min(closingIndent, indents[n])
                parts[0] = .text(String(t.dropFirst(strip)))
            }
            result.append(contentsOf: parts)
            if n < lines.count - 1 { result.append(.text("\n")) }
        }
        if result.isEmpty { result = [.text("")] }
        return Token(kind: .string(result), start: start, end: i)
    }
}
