/// A light pass over `.loop` source that knows only where code, strings and comments are.
///
/// The REPL needs a few facts about text the parser may not accept yet (a half-typed line):
/// is the cursor inside a string literal, does the cell end with `;`, which identifiers does a
/// cell mention. The language's lexer stops at the first error, so this scanner never fails.
struct SourceScan {
    /// Identifiers that appear in code (not in strings or comments), in order.
    private(set) var identifiers: [String] = []
    /// The last character of code (outside strings and comments) that is not whitespace.
    private(set) var lastCodeByte: UInt8?
    /// When the text ends inside a string literal: the UTF-8 offset just after its opening quote(s).
    private(set) var openStringContentStart: Int?

    /// Brackets (`(`, `[`, `{`) opened in code and not closed yet (never below zero).
    private(set) var openBrackets = 0
    /// Bytes scanned so far (offsets continue across `feed` calls).
    private var scanned = 0

    private enum Mode {
        case code(parenDepth: Int)  // depth counts parens inside an interpolation `\( )`
        case string(triple: Bool, contentStart: Int)
    }
    private var stack: [Mode] = [.code(parenDepth: 0)]

    init(_ text: String) { feed(text) }

    /// True when the text so far certainly ends inside something unfinished (an open bracket or
    /// string), so the parser need not be asked whether it is complete.
    var isCertainlyIncomplete: Bool { !sawBrokenString && (openBrackets > 0 || stack.count > 1) }
    /// A one-line string ran into the end of its line: the parser will report it, so the
    /// brackets counted around it prove nothing.
    private var sawBrokenString = false

    /// Scans more text as if appended to what was scanned before. The REPL feeds each line of a
    /// cell once, so a 5,000-line paste costs one pass, not one pass per line.
    mutating func feed(_ text: String) {
        let b = Array(text.utf8)
        let base = scanned
        scanned += b.count
        var i = 0
        func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        func isIdent(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) }
        while i < b.count {
            let c = b[i]
            switch stack[stack.count - 1] {
            case .code(let depth):
                if c == UInt8(ascii: "#") {
                    while i < b.count && b[i] != UInt8(ascii: "\n") { i += 1 }
                    continue
                }
                if c == UInt8(ascii: "\"") {
                    let triple = i + 2 < b.count && b[i + 1] == c && b[i + 2] == c
                    i += triple ? 3 : 1
                    stack.append(.string(triple: triple, contentStart: base + i))
                    lastCodeByte = c
                    continue
                }
                if isIdentStart(c) {
                    let start = i
                    while i < b.count && isIdent(b[i]) { i += 1 }
                    identifiers.append(String(decoding: b[start..<i], as: UTF8.self))
                    lastCodeByte = b[i - 1]
                    continue
                }
                if c >= 48 && c <= 57 {
                    // A number (with suffix letters such as `ms`) is not an identifier.
                    while i < b.count && (isIdent(b[i]) || b[i] == UInt8(ascii: ".") && i + 1 < b.count && b[i + 1] >= 48 && b[i + 1] <= 57) { i += 1 }
                    lastCodeByte = b[i - 1]
                    continue
                }
                if stack.count == 1 {
                    if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { openBrackets += 1 }
                    if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { openBrackets = max(0, openBrackets - 1) }
                } else {
                    if c == UInt8(ascii: "(") {
                        stack[stack.count - 1] = .code(parenDepth: depth + 1)
                    } else if c == UInt8(ascii: ")") {
                        if depth == 0 {
                            stack.removeLast()  // end of `\( )`: back inside the string
                            i += 1
                            continue
                        }
                        stack[stack.count - 1] = .code(parenDepth: depth - 1)
                    }
                }
                if !(c == 32 || c == 9 || c == 10 || c == 13) { lastCodeByte = c }
                i += 1
            case .string(let triple, _):
                if c == UInt8(ascii: "\\") {
                    if i + 1 < b.count && b[i + 1] == UInt8(ascii: "(") {
                        stack.append(.code(parenDepth: 0))
                        i += 2
                    } else {
                        i += 2
                    }
                    continue
                }
                if c == UInt8(ascii: "\"") {
                    if !triple {
                        stack.removeLast()
                        i += 1
                        continue
                    }
                    if i + 2 < b.count && b[i + 1] == c && b[i + 2] == c {
                        stack.removeLast()
                        i += 3
                        continue
                    }
                }
                if c == UInt8(ascii: "\n") && !triple {
                    stack.removeLast()  // an unterminated one-line string ends at the newline
                    sawBrokenString = true
                }
                i += 1
            }
        }
        if case .string(_, let start) = stack[stack.count - 1] { openStringContentStart = min(start, scanned) } else { openStringContentStart = nil }
    }

    /// True when the code ends with `;` (the REPL then hides the cell's result).
    var endsWithSemicolon: Bool { lastCodeByte == UInt8(ascii: ";") }
}
