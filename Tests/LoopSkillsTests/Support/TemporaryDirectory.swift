import Foundation

/// A fresh directory (mkdtemp). Tests remove it in a `defer`, which also keeps it alive to the
/// end of the test (an optimised build may otherwise release it after its last use).
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/loopskills-XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func url(_ relative: String) -> String { path + "/" + relative }

    /// Writes `text` at `relative`, creating parent directories.
    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = url(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: false, encoding: .utf8)
        return full
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: url(relative)) }

    func list(_ relative: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url(relative))) ?? []).sorted()
    }
}

/// The error a throwing call raised, or nil.
func caught<T>(_ body: () throws -> T) -> Error? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
