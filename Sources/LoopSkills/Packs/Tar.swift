/// ustar header fields: the offsets and encodings of POSIX.1-1988 tar.
enum Tar {
    static let blockSize = 512
    static let recordSize = 10240

    static func put(_ text: String, into header: inout [UInt8], at offset: Int, width: Int) {
        for (i, byte) in text.utf8.prefix(width).enumerated() { header[offset + i] = byte }
    }

    /// Zero-padded octal digits followed by NUL, filling `width` bytes.
    static func putOctal(_ value: Int, into header: inout [UInt8], at offset: Int, width: Int) {
        let digits = String(value, radix: 8)
        put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, into: &header, at: offset, width: width - 1)
        header[offset + width - 1] = 0
    }

    /// The header's byte sum with the checksum field counted as spaces.
    static func checksum(_ header: [UInt8]) -> Int {
        header.enumerated().reduce(0) { sum, item in sum + ((148..<156).contains(item.offset) ? 0x20 : Int(item.element)) }
    }

    /// An octal field: leading spaces, then octal digits only, ended by NUL or a space. A sign
    /// (`-0000001000`), base-256 (high bit set) or any other byte is nil: a size must never be
    /// negative, or the reader would step backwards through the archive forever.
    static func octal(_ header: [UInt8], at offset: Int, width: Int) -> Int? {
        let field = header[offset..<offset + width].drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        var value = 0
        for byte in field {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 8)
            if overflow { return nil }
            value = shifted + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func string(_ header: [UInt8], at offset: Int, width: Int) -> String {
        String(decoding: header[offset..<offset + width].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Splits a path into ustar's prefix (155) and name (100) fields at a slash.
    static func split(_ path: String, archive: String) throws(SkillError) -> (prefix: String, name: String) {
        let bytes = Array(path.utf8)
        if bytes.count <= 100 { return ("", path) }
        for cut in stride(from: min(bytes.count - 1, 155), to: 0, by: -1) where bytes[cut] == UInt8(ascii: "/") {
            if bytes.count - cut - 1 <= 100 && bytes.count - cut - 1 > 0 {
                return (String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[(cut + 1)...], as: UTF8.self))
            }
        }
        throw .archive(path: archive, problem: .pathTooLong(path))
    }

    /// The member path in one canonical spelling: `./skills.toml`, `a//b/` and `a/./b` become
    /// `skills.toml`, `a/b` and `a/b`; "" for the archive's root (`./`). Every check and the
    /// duplicate test look at this form, so no two spellings can name one file. Absolute paths,
    /// `..` components and control characters are refused.
    static func normalized(_ path: String, archive: String) throws(SkillError) -> String {
        if path.hasPrefix("/") { throw .archive(path: archive, problem: .absolutePath(path)) }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) {
            throw .archive(path: archive, problem: .unsafeName(path))
        }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." { throw .archive(path: archive, problem: .parentComponent(path)) }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    static func typeName(_ type: UInt8) -> String {
        switch type {
        case UInt8(ascii: "1"): return "hard link"
        case UInt8(ascii: "2"): return "symbolic link"
        case UInt8(ascii: "3"), UInt8(ascii: "4"): return "device"
        case UInt8(ascii: "6"): return "FIFO"
        case UInt8(ascii: "x"), UInt8(ascii: "g"): return "pax extended header"
        default: return "type '\(String(decoding: [type], as: UTF8.self))'"
        }
    }
}
