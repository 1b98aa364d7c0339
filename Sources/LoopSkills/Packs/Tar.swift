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

    static func octal(_ header: [UInt8], at offset: Int, width: Int) -> Int? {
        let field = header[offset..<offset + width].prefix { $0 != 0 && $0 != 0x20 }
        let trimmed = field.drop { $0 == 0x20 }
        guard !trimmed.isEmpty else { return 0 }
        return Int(String(decoding: trimmed, as: UTF8.self), radix: 8)
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

    static func checkSafe(_ path: String, archive: String) throws(SkillError) {
        if path.hasPrefix("/") { throw .archive(path: archive, problem: .absolutePath(path)) }
        if path.split(separator: "/").contains("..") { throw .archive(path: archive, problem: .parentComponent(path)) }
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
