import Foundation
import LoopLab
import LoopLang
import Testing

/// docs/ and the primitives' parameter descriptors say the same thing: every host primitive has
/// a signature in the docs, every parameter it declares is documented, and no documented
/// parameter is one it does not have.
///
/// A signature is a code span that is a whole call, `name(a, b: 1, c:)`, in a heading or in the
/// first cell of a table row; its bare names and `name:` labels are parameters. A table under a
/// primitive's heading whose first cells are `` `name:` `` documents more of its parameters
/// (train's options).
struct PrimitiveDocsTests {
    static let docs = ["primitives.md", "seeing.md", "skills.md"]

    @Test func everyPrimitiveAndParameterIsDocumentedAndNothingElse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var documented: [String: Set<String>] = [:]
        for name in Self.docs {
            let text = try String(contentsOf: root.appendingPathComponent("docs/\(name)"), encoding: .utf8)
            for (primitive, params) in Self.signatures(in: text) { documented[primitive, default: []].formUnion(params) }
        }
        let core = Set(Registry.core().globals.keys)
        let registry = LoopLab.makeRegistry(arguments: [])
        var problems: [String] = []
        for (name, value) in registry.globals.sorted(by: { $0.key < $1.key }) where !core.contains(name) && !name.hasPrefix("_") {
            guard case .function(let f) = value, let native = f as? NativeFunction else { continue }
            guard let said = documented[name] else {
                problems.append("\(name): no signature in docs/ (a heading or table row with `\(name)(...)`)")
                continue
            }
            let declared = Set(native.parameters.map(\.name))
            let missing = declared.subtracting(said)
            if !missing.isEmpty { problems.append("\(name): parameters not documented: \(missing.sorted().joined(separator: ", "))") }
            let extra = native.acceptsExtraNamed ? [] : said.subtracting(declared)
            if !extra.isEmpty { problems.append("\(name): documented parameters it does not have: \(extra.sorted().joined(separator: ", "))") }
        }
        #expect(problems.isEmpty, "\n\(problems.joined(separator: "\n"))")
    }

    /// The parameters each primitive's signatures in `markdown` name.
    static func signatures(in markdown: String) -> [String: Set<String>] {
        var found: [String: Set<String>] = [:]
        var section: [String] = []  // the primitives of the current heading
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") { inFence.toggle(); continue }
            if inFence { continue }
            if trimmed.hasPrefix("#") {
                section = []
                for span in codeSpans(trimmed) {
                    guard let (name, params) = call(span) else { continue }
                    found[name, default: []].formUnion(params)
                    section.append(name)
                }
                continue
            }
            guard trimmed.hasPrefix("|") else { continue }
            let firstCell = trimmed.dropFirst().split(separator: "|", maxSplits: 1).first.map(String.init) ?? ""
            for span in codeSpans(firstCell) {
                if let (name, params) = call(span) {
                    found[name, default: []].formUnion(params)
                } else if span.hasSuffix(":"), isIdentifier(String(span.dropLast())), section.count == 1 {
                    found[section[0], default: []].insert(String(span.dropLast()))
                }
            }
        }
        return found
    }

    static func codeSpans(_ text: String) -> [String] {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
    }

    /// `name(a, b: 1, ...)` → (name, [a, b]); nil when the span is not one whole call.
    static func call(_ span: String) -> (String, Set<String>)? {
        guard let open = span.firstIndex(of: "("), span.hasSuffix(")") else { return nil }
        let name = String(span[..<open])
        guard isIdentifier(name) else { return nil }
        let inner = span[span.index(after: open)..<span.index(before: span.endIndex)]
        var params = Set<String>()
        var depth = 0, current = "", inString = false
        func flush() {
            let arg = current.trimmingCharacters(in: .whitespaces)
            current = ""
            if let colon = arg.firstIndex(of: ":") {
                let label = String(arg[..<colon]).trimmingCharacters(in: .whitespaces)
                if isIdentifier(label) { params.insert(label) }
            } else if let eq = arg.firstIndex(of: "=") {
                let label = String(arg[..<eq]).trimmingCharacters(in: .whitespaces)
                if isIdentifier(label) { params.insert(label) }
            } else if isIdentifier(arg) {
                params.insert(arg)
            }
        }
        for c in inner {
            if c == "\"" { inString.toggle() }
            if !inString {
                if "([{".contains(c) { depth += 1 }
                if ")]}".contains(c) { depth -= 1 }
                if c == ",", depth == 0 { flush(); continue }
            }
            current.append(c)
        }
        flush()
        return (name, params)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
