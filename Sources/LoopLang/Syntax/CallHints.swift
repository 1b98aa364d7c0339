/// Literal keyword arguments of calls, read from the program's tokens without running it: how
/// `looplab run` honours `study(..., workers: 4)` before the script starts.
public enum CallHints {
    /// The Int literals passed as `parameter:` to calls of `function` (`study(..., workers: 4)`
    /// gives 4), in source order; a program that does not lex gives none.
    public static func intArguments(named parameter: String, inCallsTo function: String, in file: SourceFile) -> [Int] {
        guard let tokens = try? Lexer.tokenize(file) else { return [] }
        var found: [Int] = []
        var i = 0
        while i + 1 < tokens.count {
            defer { i += 1 }
            guard case .identifier(function) = tokens[i].kind, tokens[i + 1].isPunct(.lparen) else { continue }
            var depth = 0
            var j = i + 1
            while j < tokens.count {
                let token = tokens[j]
                if token.isPunct(.lparen) || token.isPunct(.lbracket) || token.isPunct(.lbrace) { depth += 1 }
                if token.isPunct(.rparen) || token.isPunct(.rbracket) || token.isPunct(.rbrace) { depth -= 1 }
                if depth == 0 { break }
                if depth == 1, case .identifier(parameter) = token.kind, j + 2 < tokens.count, tokens[j + 1].isPunct(.colon),
                   case .int(let value) = tokens[j + 2].kind {
                    found.append(value)
                }
                j += 1
            }
        }
        return found
    }
}
