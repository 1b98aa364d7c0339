/// Reads the TOML that `skills.toml` and `skills.lock` need: comments, `key = value` with basic
/// and literal strings (single- and multi-line), integers, floats, booleans, arrays, inline
/// tables, `[table]` and `[[array.of.tables]]` headers, dotted and quoted keys.
public struct TOMLParser {
    let file: String
    let bytes: [UInt8]
    var position = 0
    var line = 1
    var root = TOMLTable(line: 0)
    var currentPath: [String] = []
    /// Paths (joined with NUL) declared by `[[...]]`: the only arrays a header may descend into.
    var arrayTables: Set<String> = []
    /// Arrays and inline tables open around the cursor.
    var nesting = 0

    /// Parses `text`; errors name `file`, the line and the column.
    public static func parse(_ text: String, file: String) throws(SkillError) -> TOMLTable {
        var parser = TOMLParser(file: file, bytes: Array(text.utf8))
        try parser.parseDocument()
        return parser.root
    }

    private init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
    }

    /// The error at byte `offset` (default: the cursor), with its line and column counted from
    /// the start, so an error found after a multi-line value still points at its key.
    func error(_ problem: TOMLProblem, at offset: Int? = nil) -> SkillError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return .toml(file: file, line: line, column: offset - lineStart + 1, problem: problem)
    }

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    func peek(_ offset: Int) -> UInt8? { position + offset < bytes.count ? bytes[position + offset] : nil }

    /// The character at the cursor, for messages.
    var found: String {
        guard let c = peek else { return "end of file" }
        if c == 0x0A || c == 0x0D { return "end of line" }
        return "'" + String(decoding: bytes[position..<min(position + 1, bytes.count)], as: UTF8.self) + "'"
    }

    mutating func skipSpaces() {
        while let c = peek, c == 0x20 || c == 0x09 { position += 1 }
    }

    mutating func newline() {
        position += 1
        line += 1
    }

    /// Spaces, comments and newlines (inside arrays and between items).
    mutating func skipBlank() {
        while let c = peek {
            if c == 0x20 || c == 0x09 || c == 0x0D { position += 1 } else if c == 0x0A { newline() } else if c == UInt8(ascii: "#") {
                skipComment()
            } else { return }
        }
    }

    mutating func skipComment() {
        while let c = peek, c != 0x0A { position += 1 }
    }

    mutating func expect(_ c: UInt8, _ what: String) throws(SkillError) {
        guard peek == c else { throw error(.unexpectedCharacter(found, expected: what)) }
        position += 1
    }

    private mutating func parseDocument() throws(SkillError) {
        while true {
            skipBlank()
            guard let c = peek else { return }
            if c == UInt8(ascii: "[") { try parseHeader() } else { try parseKeyValue() }
            try expectEndOfLine()
        }
    }

    private mutating func expectEndOfLine() throws(SkillError) {
        skipSpaces()
        if peek == UInt8(ascii: "#") { skipComment() }
        if peek == 0x0D && peek(1) == 0x0A { position += 1 }
        guard let c = peek else { return }
        guard c == 0x0A else { throw error(.trailingContent) }
        newline()
    }

    private mutating func parseHeader() throws(SkillError) {
        let headerLine = line
        position += 1
        let isArray = peek == UInt8(ascii: "[")
        if isArray { position += 1 }
        skipSpaces()
        let keyStart = position
        let path = try parseKeyPath()
        try expect(UInt8(ascii: "]"), "']'")
        if isArray { try expect(UInt8(ascii: "]"), "']]'") }
        let name = path.joined(separator: ".")
        let parent = Array(path.dropLast())
        let last = path[path.count - 1]
        let joined = path.joined(separator: "\u{0}")
        // The tree is updated on a copy: `descend` reads `self` while the table is being mutated.
        let this = self
        var document = root
        defer { root = document }
        if isArray {
            let known = arrayTables.contains(joined)
            try this.descend(&document, parent[...], prefix: [], at: keyStart) { table throws(SkillError) in
                switch table[last] {
                case nil:
                    table.set(last, .array([.table(TOMLTable(line: headerLine))]), line: headerLine)
                case .array(var items) where known:
                    items.append(.table(TOMLTable(line: headerLine)))
                    table.set(last, .array(items))
                default:
                    throw this.error(.notATable(name), at: keyStart)
                }
            }
            arrayTables.insert(joined)
        } else {
            try this.descend(&document, parent[...], prefix: [], at: keyStart) { table throws(SkillError) in
                switch table[last] {
                case nil:
                    table.set(last, .table(TOMLTable(line: headerLine)), line: headerLine)
                case .table(var existing) where !existing.explicit:
                    existing.explicit = true
                    table.set(last, .table(existing))
                case .table:
                    throw this.error(.tableRedefined(name), at: keyStart)
                default:
                    throw this.error(.notATable(name), at: keyStart)
                }
            }
        }
        currentPath = path
    }

    private mutating func parseKeyValue() throws(SkillError) {
        let keyStart = position
        let keyLine = line
        let path = try parseKeyPath()
        try expect(UInt8(ascii: "="), "'=' after the key")
        skipSpaces()
        let value = try parseValue()
        let this = self
        var document = root
        try this.descend(&document, currentPath[...], prefix: [], at: keyStart) { table throws(SkillError) in
            try this.insert(value, at: path[...], into: &table, line: keyLine, keyStart: keyStart)
        }
        root = document
    }

    /// Sets a (possibly dotted) key in `table`, creating the implied tables of a dotted key.
    func insert(_ value: TOMLValue, at path: ArraySlice<String>, into table: inout TOMLTable,
                line keyLine: Int, keyStart: Int) throws(SkillError) {
        let key = path[path.startIndex]
        if path.count == 1 {
            guard table[key] == nil else { throw error(.duplicateKey(key), at: keyStart) }
            table.set(key, value, line: keyLine)
            return
        }
        var child: TOMLTable
        switch table[key] {
        case nil: child = TOMLTable(line: keyLine, explicit: false)
        case .table(let existing) where !existing.explicit: child = existing
        default: throw error(.duplicateKey(key), at: keyStart)
        }
        try insert(value, at: path.dropFirst(), into: &child, line: keyLine, keyStart: keyStart)
        table.set(key, .table(child), line: keyLine)
    }

    /// Runs `body` on the table at `path`, creating implied tables and entering the last element
    /// of an array of tables, as headers do.
    func descend(_ table: inout TOMLTable, _ path: ArraySlice<String>, prefix: [String], at keyStart: Int,
                 _ body: (inout TOMLTable) throws(SkillError) -> Void) throws(SkillError) {
        guard let key = path.first else { return try body(&table) }
        let here = prefix + [key]
        switch table[key] {
        case nil:
            var child = TOMLTable(line: line, explicit: false)
            try descend(&child, path.dropFirst(), prefix: here, at: keyStart, body)
            table.set(key, .table(child), line: line)
        case .table(var child):
            try descend(&child, path.dropFirst(), prefix: here, at: keyStart, body)
            table.set(key, .table(child))
        case .array(var items) where arrayTables.contains(here.joined(separator: "\u{0}")):
            guard case .table(var child) = items[items.count - 1] else { throw error(.notATable(key), at: keyStart) }
            try descend(&child, path.dropFirst(), prefix: here, at: keyStart, body)
            items[items.count - 1] = .table(child)
            table.set(key, .array(items))
        default:
            throw error(.notATable(here.joined(separator: ".")), at: keyStart)
        }
    }

    /// `a.b."c d"`, with spaces allowed around the dots; leaves the cursor after trailing spaces.
    mutating func parseKeyPath() throws(SkillError) -> [String] {
        var path: [String] = []
        while true {
            skipSpaces()
            path.append(try parseKey())
            skipSpaces()
            guard peek == UInt8(ascii: ".") else { return path }
            if path.count >= Self.maxNesting { throw error(.nestedTooDeeply(limit: Self.maxNesting)) }
            position += 1
        }
    }

    private mutating func parseKey() throws(SkillError) -> String {
        switch peek {
        case UInt8(ascii: "\""): return try parseBasicString()
        case UInt8(ascii: "'"): return try parseLiteralString()
        default:
            let start = position
            while let c = peek, Self.isBareKeyByte(c) { position += 1 }
            guard position > start else { throw error(.unexpectedCharacter(found, expected: "a key")) }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }

    static func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
    }
}
