import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the `looplab-store-stress` executable (built beside the test bundle) as a real child
/// process, so `kill -9` and concurrent writers hit independent processes.
struct StressTool {
    struct NotFound: Error, CustomStringConvertible {
        var description: String { "looplab-store-stress not found next to the test binary; set LOOPLAB_STORE_STRESS" }
    }

    /// One running child, with its stdout and stderr captured.
    final class Child {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        /// Stdout already read by ``readLine()``; ``finish()`` includes it.
        private var consumed = Data()

        var pid: Int32 { process.processIdentifier }

        func kill9() { _ = kill(process.processIdentifier, SIGKILL) }

        /// Blocks until the child has printed its first complete line (or closed stdout), and
        /// returns it: a handshake such as `started ID` or the first `committed` line.
        func readLine() -> String? {
            let start = consumed.count
            while true {
                if let newline = consumed[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    return String(decoding: consumed[start..<newline], as: UTF8.self)
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return nil }
                consumed.append(chunk)
            }
        }

        /// Waits for the child and returns its complete stdout lines (a line cut by a kill is
        /// dropped: only fully printed lines count as promises) and its stderr.
        func finish() -> (lines: [String], stderr: String) {
            let out = consumed + output.fileHandleForReading.readDataToEndOfFile()
            let err = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            var text = String(decoding: out, as: UTF8.self)
            if !text.hasSuffix("\n"), let cut = text.lastIndex(of: "\n") {
                text = String(text[...cut])
            } else if !text.hasSuffix("\n") {
                text = ""
            }
            return (text.split(separator: "\n").map(String.init), String(decoding: err, as: UTF8.self))
        }
    }

    let executable: URL

    init() throws {
        if let override = ProcessInfo.processInfo.environment["LOOPLAB_STORE_STRESS"] {
            executable = URL(fileURLWithPath: override)
            return
        }
        var starts: [URL] = []
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: path))
        }
        if let main = Bundle.main.executableURL { starts.append(main) }
        starts += Bundle.allBundles.map(\.bundleURL)
        for start in starts {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = directory.appendingPathComponent("looplab-store-stress")
                if FileManager.default.isExecutableFile(atPath: candidate.path) {
                    executable = candidate
                    return
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        throw NotFound()
    }

    func start(_ arguments: [String]) throws -> Child {
        let child = Child()
        child.process.executableURL = executable
        child.process.arguments = arguments
        child.process.standardOutput = child.output
        child.process.standardError = child.errors
        try child.process.run()
        return child
    }
}
