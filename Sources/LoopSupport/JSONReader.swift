import Glibc

/// What a `JSONReader` builds: the reader hands each value it reads to the builder, so one
/// parser serves the store (`JSONValue`) and the language (records that keep their key order).
public protocol JSONBuilder {
    associatedtype Value
    func null() -> Value
    func bool(_ value: Bool) -> Value
    func int(_ value: Int) -> Value
    func number(_ value: Double) -> Value
    func string(_ value: String) -> Value
    func array(_ items: [Value]) -> Value
    /// The members in the order the text gives them (a repeated key appears twice).
    func object(_ members: [(String, Value)]) -> Value
}

/// Text that is not JSON: where, and what was wrong.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let problem: String

    public var description: String { "invalid JSON at line \(line) column \(column): \(problem)" }
}

/// The one JSON parser. It reads bytes in place (a string without escapes is one copy, a number
/// goes through strtod on the stack): the store reads a JSON column or two for every trial, and
/// `JSONDecoder` made reading 10,000 trials take most of a second. Nesting deeper than
/// `maxDepth` is refused rather than recursed into.
public enum JSONReader {
    public static let maxDepth = 512

    public static func read<B: JSONBuilder>(_ text: String, with builder: B) throws(JSONSyntaxError) -> B.Value {
        var text = text
        let result = text.withUTF8 { bytes -> Result<B.Value, JSONSyntaxError> in
            var parser = Parser(bytes: bytes, builder: builder)
            do throws(JSONSyntaxError) {
                let value = try parser.value(depth: 0)
                parser.skipSpace()
                if parser.index < bytes.count { throw parser.fail("unexpected text after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct Parser<B: JSONBuilder> {
        let bytes: UnsafeBufferPointer<UInt8>
        let builder: B
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>, builder: B) {
            self.bytes = bytes
            self.builder = builder
        }

        func fail(_ problem: String) -> JSONSyntaxError {
            var line = 1, column = 1
            for b in bytes[0..<min(index, bytes.count)] {
                if b == 10 { line += 1; column = 1 } else { column += 1 }
            }
            return JSONSyntaxError(line: line, column: column, problem: problem)
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
        }

        /// At `,` or `close` after a member or item: whether the container goes on.
        mutating func another(_ close: UInt8) throws(JSONSyntaxError) -> Bool {
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; return true }
            if bytes[index] == close { index += 1; return false }
            throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) -> B.Value {
            guard depth < JSONReader.maxDepth else { throw fail("nested too deeply") }
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, B.Value)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return builder.object(members) }
                repeat {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                    let key = try string()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    index += 1
                    members.append((key, try value(depth: depth + 1)))
                } while try another(UInt8(ascii: "}"))
                return builder.object(members)
            case UInt8(ascii: "["):
                index += 1
                var items: [B.Value] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return builder.array(items) }
                repeat {
                    items.append(try value(depth: depth + 1))
                } while try another(UInt8(ascii: "]"))
                return builder.array(items)
            case UInt8(ascii: "\""): return builder.string(try string())
            case UInt8(ascii: "t"): return try literal("true", builder.bool(true))
            case UInt8(ascii: "f"): return try literal("false", builder.bool(false))
            case UInt8(ascii: "n"): return try literal("null", builder.null())
            default: return try number()
            }
        }

        mutating func literal(_ word: StaticString, _ value: B.Value) throws(JSONSyntaxError) -> B.Value {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count, (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else {
                throw fail("unexpected character")
            }
            index += count
            return value
        }

        mutating func number() throws(JSONSyntaxError) -> B.Value {
            let start = index
            var isInteger = true
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            while index < bytes.count {
                let b = bytes[index]
                if b >= 0x30 && b <= 0x39 {
                    index += 1
                } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                    isInteger = false
                    index += 1
                } else if (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) && !isInteger {
                    index += 1  // an exponent's sign
                } else {
                    break
                }
            }
            let length = index - start
            guard length > 0, bytes[start] != UInt8(ascii: "-") || length > 1 else { throw fail("unexpected character") }
            guard length < 64 else { throw fail("number too long") }
            // strtod/strtoll on a NUL-terminated copy on the stack: no String per number.
            let parsed = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> B.Value? in
                for i in 0..<length { buffer[i] = CChar(bitPattern: bytes[start + i]) }
                buffer[length] = 0
                var end: UnsafeMutablePointer<CChar>?
                if isInteger {
                    errno = 0
                    let i = strtoll(buffer.baseAddress!, &end, 10)
                    if errno == 0, end == buffer.baseAddress! + length { return builder.int(Int(i)) }
                }
                let d = strtod(buffer.baseAddress!, &end)
                return end == buffer.baseAddress! + length ? builder.number(d) : nil
            }
            guard let parsed else { throw fail("invalid number '\(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))'") }
            return parsed
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            index += 1
            let start = index
            // The common case, no escapes: one copy of the bytes.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
            guard index < bytes.count else { throw fail("unterminated string") }
            if bytes[index] == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            var out = Array(bytes[start..<index])
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard b == UInt8(ascii: "\\") else { out.append(b); continue }
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { throw fail("invalid \\u escape") }
                    if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { throw fail("invalid \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
                default: throw fail("invalid escape")
                }
            }
            throw fail("unterminated string")
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                index += 1
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
                default: return nil
                }
                v = v * 16 + digit
            }
            return v
        }
    }
}

/// Builds `JSONValue`s (a repeated key: the last one wins).
public struct JSONValueBuilder: JSONBuilder {
    public init() {}
    public func null() -> JSONValue { .null }
    public func bool(_ value: Bool) -> JSONValue { .bool(value) }
    public func int(_ value: Int) -> JSONValue { .int(value) }
    public func number(_ value: Double) -> JSONValue { .number(value) }
    public func string(_ value: String) -> JSONValue { .string(value) }
    public func array(_ items: [JSONValue]) -> JSONValue { .array(items) }
    public func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(Dictionary(members, uniquingKeysWith: { $1 })) }
}

extension JSONValue {
    /// The value of one JSON text; nil when it is not valid JSON.
    public init?(json text: String) {
        guard let value = try? JSONReader.read(text, with: JSONValueBuilder()) else { return nil }
        self = value
    }
}
