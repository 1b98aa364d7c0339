import Glibc
import LoopLang

/// Tab completion for the REPL: meta-commands, keywords, names in scope, members after `.`,
/// and file paths inside string literals (and after `:load` / `:save`).
///
/// Completion never runs code: after `x.` it only looks `x` up when it is a plain identifier.
public struct Completer {
    let interpreter: Interpreter

    /// `context` is the earlier lines of a cell still being typed (for strings that span lines).
    public func complete(line: String, cursor: Int, context: String = "") -> Completion {
        let bytes = Array(line.utf8)
        let cursor = max(0, min(cursor, bytes.count))
        let before = Array(bytes[..<cursor])
        let head = String(decoding: before, as: UTF8.self)

        if context.isEmpty, let first = before.firstIndex(where: { $0 != 32 && $0 != 9 }), before[first] == UInt8(ascii: ":") {
            return completeCommand(before, commandStart: first)
        }

        let prefixText = context.isEmpty ? head : context + "\n" + head
        let scan = SourceScan(prefixText)
        if let contentStart = scan.openStringContentStart {
            let offsetInLine = contentStart - (prefixText.utf8.count - before.count)
            let start = max(0, offsetInLine)
            let partial = String(decoding: before[start...], as: UTF8.self)
            let opening = prefixText.utf8.prefix(max(0, contentStart - 1))
            if String(decoding: opening, as: UTF8.self).split(whereSeparator: \.isWhitespace).last == "use" {
                return Completion(start: start, candidates: skillNames(matching: partial) + Self.paths(matching: partial))
            }
            return Completion(start: start, candidates: Self.paths(matching: partial))
        }

        var start = cursor
        while start > 0 && Self.isIdentifierByte(before[start - 1]) { start -= 1 }
        let word = String(decoding: before[start...], as: UTF8.self)
        if start > 0 && before[start - 1] == UInt8(ascii: ".") {
            return Completion(start: start, candidates: members(receiverEndingAt: start - 1, in: before, prefix: word))
        }
        if let first = word.utf8.first, first >= 48 && first <= 57 { return Completion(start: start, candidates: []) }
        var seen = Set<String>()
        // In an argument list, the callee's keyword arguments not given yet come first
        // (`train(m, d, ep` → `epochs:`).
        let keywords = keywordArguments(in: Array((context.isEmpty ? "" : context + "\n").utf8) + Array(before[..<start]), prefix: word)
        seen.formUnion(keywords)
        var names: [String] = []
        for name in Keyword.allCases.map(\.rawValue) + interpreter.completionNames where name.hasPrefix(word) {
            if seen.insert(name).inserted { names.append(name) }
        }
        let onlyKeyword = keywords.isEmpty && names.count == 1 && Keyword(rawValue: names[0]) != nil
        let onlyArgument = keywords.count == 1 && names.isEmpty
        return Completion(start: start, candidates: keywords + names.sorted(), appendSpace: onlyKeyword || onlyArgument)
    }

    /// `name:` for each parameter of the function whose argument list is open at the end of
    /// `text` and that the text has not given by name yet; empty when the cursor is not where an
    /// argument starts (just after `(` or `,`) or the callee is not a plain name.
    private func keywordArguments(in text: [UInt8], prefix: String) -> [String] {
        var end = text.count
        while end > 0, text[end - 1] == 32 || text[end - 1] == 9 || text[end - 1] == 10 { end -= 1 }
        guard end > 0, text[end - 1] == UInt8(ascii: "(") || text[end - 1] == UInt8(ascii: ",") else { return [] }
        // The innermost `(` still open, outside strings and comments.
        var opens: [Int] = []
        var i = 0
        while i < end {
            switch text[i] {
            case UInt8(ascii: "\""):
                i += 1
                while i < end, text[i] != UInt8(ascii: "\"") { i += text[i] == UInt8(ascii: "\\") ? 2 : 1 }
            case UInt8(ascii: "#"):
                while i < end, text[i] != 10 { i += 1 }
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): opens.append(i)
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): _ = opens.popLast()
            default: break
            }
            i += 1
        }
        guard let open = opens.last, text[open] == UInt8(ascii: "(") else { return [] }
        var nameStart = open
        while nameStart > 0, Self.isIdentifierByte(text[nameStart - 1]) { nameStart -= 1 }
        guard nameStart < open, nameStart == 0 || text[nameStart - 1] != UInt8(ascii: ".") else { return [] }
        let callee = String(decoding: text[nameStart..<open], as: UTF8.self)
        guard Keyword(rawValue: callee) == nil, case .function(let f)? = interpreter.lookup(callee) else { return [] }
        let arguments = String(decoding: text[(open + 1)..<end], as: UTF8.self)
        return f.parameterNames.filter { name in
            name.hasPrefix(prefix) && !arguments.contains(name + ":")
        }.map { $0 + ":" }
    }

    /// Skill names from the libraries (through `skills()`, which only reads the library).
    private func skillNames(matching partial: String) -> [String] {
        guard case .function? = interpreter.lookup("skills"), let skills = interpreter.lookup("skills"),
              case .list(let rows)? = try? interpreter.call(skills, []) else { return [] }
        var names: [String] = []
        for row in rows {
            if case .record(let r) = row, case .string(let name)? = r.fields["name"], name.hasPrefix(partial), !names.contains(name) {
                names.append(name)
            }
        }
        return names.sorted()
    }

    private func members(receiverEndingAt dot: Int, in before: [UInt8], prefix: String) -> [String] {
        var start = dot
        while start > 0 && Self.isIdentifierByte(before[start - 1]) { start -= 1 }
        // Only `name.`: a longer chain (`a.b.`), a call or an index would mean running code.
        guard start < dot, !(before[start] >= 48 && before[start] <= 57) else { return [] }
        if start > 0 {
            let c = before[start - 1]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: ")") || c == UInt8(ascii: "]") { return [] }
        }
        let name = String(decoding: before[start..<dot], as: UTF8.self)
        guard Keyword(rawValue: name) == nil, let value = interpreter.lookup(name) else { return [] }
        return Array(Set(interpreter.memberNames(of: value).filter { $0.hasPrefix(prefix) })).sorted()
    }

    private func completeCommand(_ before: [UInt8], commandStart: Int) -> Completion {
        guard let space = before[commandStart...].firstIndex(where: { $0 == 32 || $0 == 9 }) else {
            let word = String(decoding: before[commandStart...], as: UTF8.self)
            let names = MetaCommand.allCases.map { ":" + $0.rawValue }.filter { $0.hasPrefix(word) }
            return Completion(start: commandStart, candidates: names, appendSpace: true)
        }
        let name = String(decoding: before[(commandStart + 1)..<space], as: UTF8.self)
        var argStart = space
        while argStart < before.count && (before[argStart] == 32 || before[argStart] == 9) { argStart += 1 }
        switch MetaCommand(rawValue: name) {
        case .load?, .save?:
            if argStart < before.count && before[argStart] == UInt8(ascii: "\"") { argStart += 1 }
            let partial = String(decoding: before[argStart...], as: UTF8.self)
            return Completion(start: argStart, candidates: Self.paths(matching: partial))
        case .help?:
            let word = String(decoding: before[argStart...], as: UTF8.self)
            let all = MetaCommand.allCases.map { ":" + $0.rawValue } + interpreter.completionNames
            return Completion(start: argStart, candidates: Array(Set(all.filter { $0.hasPrefix(word) })).sorted())
        case .time?:
            let tail = String(decoding: before[argStart...], as: UTF8.self)
            var inner = complete(line: tail, cursor: tail.utf8.count)
            inner.start += argStart
            return inner
        default:
            return Completion(start: before.count, candidates: [])
        }
    }

    /// Paths that start with `partial` (`~/` expands for listing but stays in the candidates).
    /// Directories end with `/`; hidden entries show only when the typed name starts with `.`.
    public static func paths(matching partial: String) -> [String] {
        let directoryPart: String, namePrefix: String
        if let slash = partial.lastIndex(of: "/") {
            directoryPart = String(partial[...slash])
            namePrefix = String(partial[partial.index(after: slash)...])
        } else {
            directoryPart = ""
            namePrefix = partial
        }
        var listed = directoryPart.isEmpty ? "." : directoryPart
        if listed.hasPrefix("~/"), let home = getenv("HOME") {
            listed = String(cString: home) + listed.dropFirst()
        }
        guard let dir = opendir(listed) else { return [] }
        defer { closedir(dir) }
        var results: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix(".") && !namePrefix.hasPrefix(".") { continue }
            guard name.hasPrefix(namePrefix) else { continue }
            var st = stat()
            let isDirectory = stat(listed + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
            results.append(directoryPart + name + (isDirectory ? "/" : ""))
        }
        return results.sorted()
    }

    static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95
    }
}
