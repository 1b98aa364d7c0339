extension TOMLParser {
    mutating func parseValue() throws(SkillError) -> TOMLValue {
        guard let c = peek else { throw error(.expectedValue) }
        switch c {
        case UInt8(ascii: "\""): return .string(try parseBasicString())
        case UInt8(ascii: "'"): return .string(try parseLiteralString())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "{"): return try parseInlineTable()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            for (word, value) in [("true", true), ("false", false)] where matches(word) {
                position += word.utf8.count
                return .boolean(value)
            }
            throw error(.expectedValue)
        default:
            return try parseNumber()
        }
    }

    private func matches(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w else { return false }
        return position + w.count == bytes.count || !Self.isBareKeyByte(bytes[position + w.count])
    }

    /// `"..."` or `"""..."""` with escapes.
    mutating func parseBasicString() throws(SkillError) -> String {
        let multiline = matches(quote: 0x22)
        position += multiline ? 3 : 1
        if multiline { skipOpeningNewline() }
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw error(.unterminatedString) }
            if c == 0x22 {
                if !multiline { position += 1; break }
                if matches(quote: 0x22) { position += 3; break }
                out.append(c)
                position += 1
            } else if c == 0x5C {
                try parseEscape(into: &out, multiline: multiline)
            } else if c == 0x0A {
                guard multiline else { throw error(.newlineInString) }
                out.append(c)
                newline()
            } else {
                out.append(c)
                position += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `'...'` or `'''...'''`, taken verbatim.
    mutating func parseLiteralString() throws(SkillError) -> String {
        let multiline = matches(quote: 0x27)
        position += multiline ? 3 : 1
        if multiline { skipOpeningNewline() }
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw error(.unterminatedString) }
            if c == 0x27 && (!multiline || matches(quote: 0x27)) {
                position += multiline ? 3 : 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == 0x0A {
                guard multiline else { throw error(.newlineInString) }
                newline()
            } else {
                position += 1
            }
            out.append(c)
        }
    }

    private func matches(quote: UInt8) -> Bool { peek == quote && peek(1) == quote && peek(2) == quote }

    /// A newline right after the opening `"""` is not part of the string.
    private mutating func skipOpeningNewline() {
        if peek == 0x0D && peek(1) == 0x0A { position += 1 }
        if peek == 0x0A { newline() }
    }

    private mutating func parseEscape(into out: inout [UInt8], multiline: Bool) throws(SkillError) {
        let start = position
        position += 1
        guard let c = peek else { throw error(.unterminatedString) }
        position += 1
        switch c {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "e"): out.append(0x1B)
        case 0x22, 0x5C: out.append(c)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = c == UInt8(ascii: "u") ? 4 : 8
            let digits = String(decoding: bytes[position..<min(position + count, bytes.count)], as: UTF8.self)
            guard digits.utf8.count == count, let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) else {
                throw error(.invalidEscape(String(decoding: bytes[(start + 1)..<min(position + count, bytes.count)], as: UTF8.self)), at: start)
            }
            position += count
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        case 0x20, 0x09, 0x0D, 0x0A:
            // A line-ending backslash trims the newline and the whitespace that follows.
            guard multiline else { throw error(.invalidEscape(" "), at: start) }
            position -= 1
            skipSpaces()
            guard peek == 0x0A || (peek == 0x0D && peek(1) == 0x0A) else {
                throw error(.invalidEscape(" "), at: start)
            }
            skipBlankLines()
        default:
            throw error(.invalidEscape(String(decoding: [c], as: UTF8.self)), at: start)
        }
    }

    private mutating func skipBlankLines() {
        while let c = peek {
            if c == 0x20 || c == 0x09 || c == 0x0D { position += 1 } else if c == 0x0A { newline() } else { return }
        }
    }

    private mutating func parseNumber() throws(SkillError) -> TOMLValue {
        let start = position
        while let c = peek, Self.isBareKeyByte(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard !text.isEmpty else { throw error(.unexpectedCharacter(found, expected: "a value"), at: start) }
        let digits = text.replacingUnderscores
        let unsigned = digits.hasPrefix("+") || digits.hasPrefix("-") ? String(digits.dropFirst()) : digits
        let negative = digits.hasPrefix("-")
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where unsigned.hasPrefix(prefix) && !digits.hasPrefix("+") && !negative {
            guard let n = Int(unsigned.dropFirst(2), radix: radix) else { break }
            return .integer(n)
        }
        if !unsigned.isEmpty, unsigned.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // Leading zeros and integers beyond 64 bits are errors, not floats.
            guard !(unsigned.count > 1 && unsigned.hasPrefix("0")), let n = Int(digits) else {
                throw error(.invalidNumber(text), at: start)
            }
            return .integer(n)
        }
        switch unsigned {
        case "inf": return .float(negative ? -.infinity : .infinity)
        case "nan": return .float(.nan)
        default: break
        }
        let isFloatShape = unsigned.first.map { $0.isNumber } ?? false && unsigned.last.map { $0.isNumber } ?? false
            && unsigned.allSatisfy { $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "-" || $0 == "+" }
        if isFloatShape, let x = Double(digits) { return .float(x) }
        throw error(.invalidNumber(text), at: start)
    }

    /// Arrays and inline tables nest at most this deep (a crafted manifest 20,000 deep would
    /// otherwise exhaust the stack); real manifests use two or three levels.
    static let maxNesting = 64

    private mutating func enterNested() throws(SkillError) {
        nesting += 1
        if nesting > Self.maxNesting { throw error(.nestedTooDeeply(limit: Self.maxNesting)) }
    }

    private mutating func parseArray() throws(SkillError) -> TOMLValue {
        try enterNested()
        defer { nesting -= 1 }
        position += 1
        var items: [TOMLValue] = []
        while true {
            skipBlank()
            if peek == UInt8(ascii: "]") { position += 1; return .array(items) }
            items.append(try parseValue())
            skipBlank()
            if peek == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return .array(items)
        }
    }

    private mutating func parseInlineTable() throws(SkillError) -> TOMLValue {
        try enterNested()
        defer { nesting -= 1 }
        let tableLine = line
        position += 1
        var table = TOMLTable(line: tableLine)
        skipSpaces()
        if peek == UInt8(ascii: "}") { position += 1; return .table(table) }
        while true {
            let keyStart = position
            let keyLine = line
            let path = try parseKeyPath()
            try expect(UInt8(ascii: "="), "'=' after the key")
            skipSpaces()
            let value = try parseValue()
            try insert(value, at: path[...], into: &table, line: keyLine, keyStart: keyStart)
            skipSpaces()
            if peek == UInt8(ascii: ",") { position += 1; skipSpaces(); continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return .table(table)
        }
    }
}

extension String {
    /// `1_000` → `1000` (TOML allows underscores between digits).
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
