import Glibc
import LoopLab

/// A reference implementation run by an external interpreter (python3, lua5.4, later numpy and
/// torch scripts). The program measures itself and prints its result, in the bench's unit, as its
/// last line of output, so process start-up is never part of the number.
struct ReferenceProgram {
    /// The name shown in tables and JSON (`python3`).
    var name: String
    /// The executable looked up on PATH.
    var executable: String
    var source: String
    var fileExtension: String

    /// The executable's full path, or nil when it is not installed.
    static func find(_ executable: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(executable)"
            if POSIXFiles.isExecutable(candidate) { return candidate }
        }
        return nil
    }

    /// Runs the program and parses its last output line; nil if it is not installed or fails.
    func run() -> Double? {
        guard let binary = Self.find(executable) else { return nil }
        var template = Array("/tmp/looplab-bench-XXXXXX.\(fileExtension)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(fileExtension.utf8.count + 1)) }
        guard fd >= 0 else { return nil }
        close(fd)
        let scriptPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(scriptPath) }
        do { try POSIXFiles.writeText(scriptPath, source) } catch { return nil }
        guard let (status, text) = Shell.output(of: "'\(binary)' '\(scriptPath)' 2>/dev/null"), status == 0 else { return nil }
        let lines = text.split(separator: "\n")
        guard let last = lines.last, let value = Double(last.trimmingCharacters()), value.isFinite else { return nil }
        return value
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> Substring {
        var s = self
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}

/// Runs a shell command and collects its standard output.
enum Shell {
    /// The exit status and everything the command printed; nil when it could not start.
    static func output(of command: String) -> (status: Int32, text: String)? {
        guard let pipe = popen(command, "r") else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
        }
        let status = pclose(pipe)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }
}
