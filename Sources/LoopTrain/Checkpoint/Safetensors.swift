import Foundation
import LoopSupport

/// A checkpoint that cannot be read or does not fit the model it describes.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case missingArchitecture(path: String)
    case missingTensor(path: String, name: String)
    case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    case invalidArchitecture(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read checkpoint: \(reason)"
        case let .malformed(path, reason): "\(path): not a valid safetensors file: \(reason)"
        case let .missingArchitecture(path): "\(path): no Looplab architecture in __metadata__"
        case let .missingTensor(path, name): "\(path): tensor '\(name)' is missing"
        case let .shapeMismatch(path, name, expected, found): "\(path): tensor '\(name)' has shape \(found), the model needs \(expected)"
        case let .invalidArchitecture(path, reason): "\(path): the architecture in __metadata__ cannot be built: \(reason)"
        }
    }
}

/// The safetensors format (as defined by Hugging Face's `safetensors`): an unsigned 64-bit
/// little-endian header length N, N bytes of UTF-8 JSON, then the raw tensor bytes. The JSON maps
/// each tensor name to `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}` (offsets
/// relative to the end of the header) and may hold `"__metadata__"`, a map of strings to strings.
///
/// Only F32 tensors are written or read. The header is padded with spaces to a multiple of 8 bytes
/// (as the reference implementation does, so the data is aligned), and written in a fixed order,
/// so the same tensors always give the same bytes.
public struct Safetensors: Equatable {
    /// Tensors in file order.
    public var tensors: [(name: String, tensor: Tensor)]
    /// The `__metadata__` entries.
    public var metadata: [String: String]

    /// A file's contents: tensors in order, and string metadata.
    public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public static func == (lhs: Safetensors, rhs: Safetensors) -> Bool {
        lhs.metadata == rhs.metadata && lhs.tensors.count == rhs.tensors.count
            && zip(lhs.tensors, rhs.tensors).allSatisfy { $0.name == $1.name && $0.tensor == $1.tensor }
    }

    /// The tensor called `name`.
    public subscript(name: String) -> Tensor? {
        tensors.first { $0.name == name }?.tensor
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(JSONQuoting.quoted($0)):\(JSONQuoting.quoted(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            let end = offset + tensor.count * 4
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(JSONQuoting.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for (_, tensor) in tensors {
            tensor.withUnsafeBufferPointer { p in
                for v in p { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
            }
        }
        return bytes
    }

    /// Parses a file's bytes; `path` is used in errors.
    public init(decoding bytes: [UInt8], path: String = "<bytes>") throws {
        func fail(_ reason: String) -> CheckpointError { .malformed(path: path, reason: reason) }
        guard bytes.count >= 8 else { throw fail("shorter than the 8-byte header length") }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(bytes.count - 8) else { throw fail("header length \(headerLength) exceeds the file") }
        let dataStart = 8 + Int(headerLength)
        guard case .object(let header)? = JSONValue(json: String(decoding: bytes[8..<dataStart], as: UTF8.self))
        else { throw fail("header is not a JSON object") }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let m = meta.objectValue?.compactMapValues(\.stringValue), m.count == meta.objectValue?.count else {
                throw fail("__metadata__ must map strings to strings")
            }
            metadata = m
        }
        /// A list of whole numbers (`shape`, `data_offsets`), or nil.
        func integers(_ value: JSONValue?) -> [Int]? {
            guard let items = value?.arrayValue else { return nil }
            let ints = items.compactMap(\.intValue)
            return ints.count == items.count ? ints : nil
        }
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let dtype = value["dtype"]?.stringValue, let shape = integers(value["shape"]),
                  let offsets = integers(value["data_offsets"]), offsets.count == 2
            else { throw fail("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard dtype == "F32" else { throw fail("tensor '\(name)' has dtype \(dtype); only F32 is supported") }
            // Every number here is from the file: a dimension may be negative or multiply past Int.max.
            var count = 1
            for dimension in shape {
                guard dimension >= 0 else { throw fail("tensor '\(name)' has shape \(shape), with a negative dimension") }
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= (bytes.count - dataStart) / 4 else {
                    throw fail("tensor '\(name)' has shape \(shape), more data than the file holds")
                }
                count = product
            }
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] - offsets[0] == count * 4, offsets[1] <= bytes.count - dataStart else {
                throw fail("tensor '\(name)' has data_offsets \(offsets) that do not fit shape \(shape) and the file")
            }
            entries.append((name, shape, offsets[0], offsets[1]))
        }
        entries.sort { $0.begin < $1.begin }
        tensors = entries.map { e in
            var t = Tensor(shape: e.shape)
            t.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count {
                    let o = dataStart + e.begin + 4 * i
                    let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
                    p[i] = Float(bitPattern: bits)
                }
            }
            return (e.name, t)
        }
        self.metadata = metadata
    }

    /// Writes the file.
    public func write(to path: String) throws {
        do { try Data(encoded()).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CheckpointError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Reads a file (through the size-limited reader: a directory or a device is an error).
    public init(contentsOf path: String) throws {
        let bytes: [UInt8]
        do throws(BoundedFile.Failure) { bytes = try BoundedFile.read(path) } catch {
            throw CheckpointError.unreadable(path: path, reason: error.reason)
        }
        try self.init(decoding: bytes, path: path)
    }
}
