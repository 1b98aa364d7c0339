extension Parser {
    mutating func parseExpression() throws(LoopError) -> Expr {
        try enter()
        defer { depth -= 1 }
        var lhs = try parseOr()
        var links = 0
        while check(.pipe) {
            try extendChain(&links)
            _ = advance()
            let rhs = try parseOr()
            // `a |> f(x)` is `f(a, x)`; `a |> f` is `f(a)`.
            let piped = Argument(label: nil, value: lhs, span: lhs.span)
            if case .call(let callee, let args) = rhs.kind {
                lhs = Expr(kind: .call(callee, [piped] + args), span: lhs.span.to(rhs.span))
            } else {
                lhs = Expr(kind: .call(rhs, [piped]), span: lhs.span.to(rhs.span))
            }
        }
        return lhs
    }

    mutating func parseOr() throws(LoopError) -> Expr {
        var lhs = try parseAnd()
        var links = 0
        while match(.or) {
            try extendChain(&links)
            let rhs = try parseAnd()
            lhs = Expr(kind: .or(lhs, rhs), span: lhs.span.to(rhs.span))
        }
        return lhs
    }

    mutating func parseAnd() throws(LoopError) -> Expr {
        var lhs = try parseNot()
        var links = 0
        while match(.and) {
            try extendChain(&links)
            let rhs = try parseNot()
            lhs = Expr(kind: .and(lhs, rhs), span: lhs.span.to(rhs.span))
        }
        return lhs
    }

    mutating func parseNot() throws(LoopError) -> Expr {
        if check(.not) {
            try enter()
            defer { depth -= 1 }
            let start = advance().start
            let operand = try parseNot()
            return Expr(kind: .not(operand), span: span(start, operand.span.end))
        }
        return try parseComparison()
    }

    func comparisonOp() -> BinaryOp? {
        switch current.kind {
        case .punct(.equal): return .equal
        case .punct(.notEqual): return .notEqual
        case .punct(.less): return .less
        case .punct(.lessEqual): return .lessEqual
        case .punct(.greater): return .greater
        case .punct(.greaterEqual): return .greaterEqual
        case .keyword(.in): return .in
        default: return nil
        }
    }

    mutating func parseComparison() throws(LoopError) -> Expr {
        let lhs = try parseRange()
        guard let op = comparisonOp() else { return lhs }
        _ = advance()
        let rhs = try parseRange()
        if comparisonOp() != nil { throw LoopError(.chainedComparison, at: span(of: current)) }
        return Expr(kind: .binary(op, lhs, rhs), span: lhs.span.to(rhs.span))
    }

    mutating func parseRange() throws(LoopError) -> Expr {
        let lhs = try parseAdditive()
        let closed: Bool
        if match(.halfOpenRange) { closed = false } else if match(.closedRange) { closed = true } else { return lhs }
        let rhs = try parseAdditive()
        return Expr(kind: .range(lhs, rhs, closed: closed), span: lhs.span.to(rhs.span))
    }

    mutating func parseAdditive() throws(LoopError) -> Expr {
        var lhs = try parseMultiplicative()
        var links = 0
        while true {
            let op: BinaryOp
            if check(.plus) { op = .add } else if check(.minus) { op = .subtract } else { return lhs }
            try extendChain(&links)
            _ = advance()
            let rhs = try parseMultiplicative()
            lhs = Expr(kind: .binary(op, lhs, rhs), span: lhs.span.to(rhs.span))
        }
    }

    mutating func parseMultiplicative() throws(LoopError) -> Expr {
        var lhs = try parseUnary()
        var links = 0
        while true {
            let op: BinaryOp
            if check(.star) { op = .multiply } else if check(.slash) { op = .divide } else if check(.percent) { op = .modulo } else { return lhs }
            try extendChain(&links)
            _ = advance()
            let rhs = try parseUnary()
            lhs = Expr(kind: .binary(op, lhs, rhs), span: lhs.span.to(rhs.span))
        }
    }

    mutating func parseUnary() throws(LoopError) -> Expr {
        if check(.minus) {
            try enter()
            defer { depth -= 1 }
            let start = advance().start
            let operand = try parseUnary()
            // Fold literals so `-9223372036854775808`-style constants and `-1` stay plain numbers.
            switch operand.kind {
            case .float(let v): return Expr(kind: .float(-v), span: span(start, operand.span.end))
            case .duration(let v): return Expr(kind: .duration(-v), span: span(start, operand.span.end))
            default: return Expr(kind: .negate(operand), span: span(start, operand.span.end))
            }
        }
        return try parsePower()
    }

    mutating func parsePower() throws(LoopError) -> Expr {
        let base = try parsePostfix()
        guard match(.power) else { return base }
        try enter()
        defer { depth -= 1 }
        let exponent = try parseUnary()  // right-associative; `2 ** -1` is allowed
        return Expr(kind: .binary(.power, base, exponent), span: base.span.to(exponent.span))
    }

    mutating func parsePostfix() throws(LoopError) -> Expr {
        var expr = try parsePrimary()
        var chain = 0
        while true {
            chain += 1
            if chain > 4 * Parser.maxDepth { throw LoopError(.nestingTooDeep, at: span(of: current)) }
            if check(.lparen) {
                let args = try parseArguments()
                expr = Expr(kind: .call(expr, args), span: span(expr.span.start, previousEnd))
            } else if check(.lbracket) {
                _ = advance()
                let saved = allowBraceCall
                allowBraceCall = true
                let index = try parseExpression()
                allowBraceCall = saved
                try expect(.rbracket, "']'")
                expr = Expr(kind: .index(expr, index), span: span(expr.span.start, previousEnd))
            } else if check(.dot) {
                _ = advance()
                let (name, _) = try expectIdentifier("a member name after '.'")
                expr = Expr(kind: .member(expr, name), span: span(expr.span.start, previousEnd))
            } else if allowBraceCall, check(.lbrace), looksLikeRecord() {
                // `f {lr: 0.1}` is `f({lr: 0.1})`.
                let record = try parseRecord()
                let arg = Argument(label: nil, value: record, span: record.span)
                expr = Expr(kind: .call(expr, [arg]), span: expr.span.to(record.span))
            } else {
                return expr
            }
        }
    }

    mutating func parseArguments() throws(LoopError) -> [Argument] {
        try enter()
        defer { depth -= 1 }
        try expect(.lparen)
        let saved = allowBraceCall
        allowBraceCall = true
        defer { allowBraceCall = saved }
        var args: [Argument] = []
        var sawNamed = false
        while !check(.rparen) {
            let start = current.start
            // A label may be a keyword too (`mlp(in: 64)`): before `:` it cannot mean anything else.
            if let label = labelName(current), tokens[min(pos + 1, tokens.count - 1)].isPunct(.colon) {
                _ = advance(); _ = advance()
                let value = try parseExpression()
                args.append(Argument(label: label, value: value, span: span(start, previousEnd)))
                sawNamed = true
            } else {
                let value = try parseExpression()
                if sawNamed { throw LoopError(.positionalAfterNamed, at: value.span) }
                args.append(Argument(label: nil, value: value, span: value.span))
            }
            if !match(.comma) { break }
        }
        try expect(.rparen, "',' or ')' in the argument list")
        return args
    }

    func labelName(_ token: Token) -> String? {
        switch token.kind {
        case .identifier(let name): return name
        case .keyword(let k): return k.rawValue
        default: return nil
        }
    }

    /// At `{`: does a record literal follow (`{}` or `{name: ...` or `{"key": ...`)?
    func looksLikeRecord() -> Bool {
        var k = pos + 1
        while k < tokens.count, case .newline = tokens[k].kind { k += 1 }
        guard k < tokens.count else { return false }
        if tokens[k].isPunct(.rbrace) { return true }
        switch tokens[k].kind {
        case .identifier, .string, .keyword: return k + 1 < tokens.count && tokens[k + 1].isPunct(.colon)
        default: return false
        }
    }

    mutating func parseRecord() throws(LoopError) -> Expr {
        try enter()
        defer { depth -= 1 }
        let open = try expect(.lbrace)
        let saved = allowBraceCall
        allowBraceCall = true
        defer { allowBraceCall = saved }
        var entries: [RecordEntry] = []
        skipNewlines()
        while !check(.rbrace) {
            let key: String
            switch current.kind {
            case .identifier(let name): key = name
            case .keyword(let k): key = k.rawValue
            case .string(let parts):
                guard parts.count == 1, case .text(let t) = parts[0] else { throw unexpected("a plain string key") }
                key = t
            default: throw unexpected("a field name")
            }
            _ = advance()
            try expect(.colon, "':' after the field name")
            skipNewlines()
            var value = try parseExpression()
            // `dropout: uniform(0, 0.5) when layers > 1` is `uniform(0, 0.5).when("layers > 1")`:
            // the condition is kept as text for the value to interpret (search spaces do).
            if case .identifier("when") = current.kind {
                _ = advance()
                let condition = try parseExpression()
                let text = Expr(kind: .string([.text(file.text(of: condition.span))]), span: condition.span)
                let method = Expr(kind: .member(value, "when"), span: value.span)
                value = Expr(kind: .call(method, [Argument(label: nil, value: text, span: condition.span)]), span: value.span.to(condition.span))
            }
            entries.append(RecordEntry(key: key, value: value))
            skipNewlines()
            if !match(.comma) { break }
            skipNewlines()
        }
        skipNewlines()
        let close = try expect(.rbrace, "',' or '}' in the record")
        return Expr(kind: .record(entries), span: span(open.start, close.end))
    }

    mutating func parsePrimary() throws(LoopError) -> Expr {
        let t = current
        switch t.kind {
        case .int(let v): _ = advance(); return Expr(kind: .int(v), span: span(of: t))
        case .float(let v): _ = advance(); return Expr(kind: .float(v), span: span(of: t))
        case .duration(let v): _ = advance(); return Expr(kind: .duration(v), span: span(of: t))
        case .keyword(.true): _ = advance(); return Expr(kind: .bool(true), span: span(of: t))
        case .keyword(.false): _ = advance(); return Expr(kind: .bool(false), span: span(of: t))
        case .keyword(.nil): _ = advance(); return Expr(kind: .nil, span: span(of: t))
        case .identifier(let name): _ = advance(); return Expr(kind: .identifier(name), span: span(of: t))
        case .string(let parts):
            _ = advance()
            var segments: [StringSegment] = []
            for part in parts {
                switch part {
                case .text(let s): segments.append(.text(s))
                case .code(let tokens, let start, let end):
                    var sub = Parser(file: file, tokens: tokens, isInterpolation: true)
                    sub.depth = depth
                    if sub.atEOF { throw LoopError(.unexpectedToken(found: "')'", expected: "an expression in '\\( )'"), at: span(start, end)) }
                    let e = try sub.parseExpression()
                    if !sub.atEOF { throw sub.unexpected("')' to close the interpolation") }
                    segments.append(.code(e))
                }
            }
            return Expr(kind: .string(segments), span: span(of: t))
        case .punct(.lparen):
            try enter()
            defer { depth -= 1 }
            _ = advance()
            let saved = allowBraceCall
            allowBraceCall = true
            let inner = try parseExpression()
            allowBraceCall = saved
            try expect(.rparen, "')'")
            return Expr(kind: inner.kind, span: span(t.start, previousEnd))
        case .punct(.lbracket):
            try enter()
            defer { depth -= 1 }
            _ = advance()
            let saved = allowBraceCall
            allowBraceCall = true
            defer { allowBraceCall = saved }
            var items: [Expr] = []
            while !check(.rbracket) {
                items.append(try parseExpression())
                if !match(.comma) { break }
            }
            try expect(.rbracket, "',' or ']' in the list")
            return Expr(kind: .list(items), span: span(t.start, previousEnd))
        case .punct(.lbrace):
            if looksLikeRecord() { return try parseRecord() }
            let block = try parseBlock()
            return Expr(kind: .block(block), span: block.span)
        case .keyword(.fn):
            let decl = try parseFunction(isSkill: false)
            return Expr(kind: .function(decl), span: decl.span)
        case .keyword(.if):
            return try parseIf()
        case .keyword(.try):
            _ = advance()
            let body = try parseBlock()
            skipNewlinesBefore(.catch)
            guard match(.catch) else { throw unexpected("'catch' after the 'try' block") }
            var name: String? = nil
            if case .identifier(let n) = current.kind { name = n; _ = advance() }
            let handler = try parseBlock()
            return Expr(kind: .try(body, name, handler), span: span(t.start, previousEnd))
        default:
            throw unexpected("an expression")
        }
    }

    mutating func parseIf() throws(LoopError) -> Expr {
        try enter()
        defer { depth -= 1 }
        let start = advance().start  // `if`
        let condition = try parseHead()
        let then = try parseBlock()
        var elseBranch: Expr? = nil
        skipNewlinesBefore(.else)
        if match(.else) {
            if check(.if) {
                elseBranch = try parseIf()
            } else {
                let block = try parseBlock()
                elseBranch = Expr(kind: .block(block), span: block.span)
            }
        }
        return Expr(kind: .if(condition, then, elseBranch), span: span(start, previousEnd))
    }

    /// Allows `}` newline `else {` (and `catch`) by skipping newlines only when that keyword follows.
    mutating func skipNewlinesBefore(_ keyword: Keyword) {
        var k = pos
        while k < tokens.count, case .newline = tokens[k].kind { k += 1 }
        if k < tokens.count, tokens[k].isKeyword(keyword) { pos = k }
    }
}
