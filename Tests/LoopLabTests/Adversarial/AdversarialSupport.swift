import Foundation
import Testing

/// What the hostile inputs of issue 11 are checked against: the real binary, its exit status and
/// what it printed. A case that hangs is killed after `timeout` and reported as such, so a
/// regression fails the suite instead of stalling it.
struct Outcome: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when the process had to be killed at the timeout.
    var timedOut: Bool
    var seconds: Double

    var description: String {
        "status \(status)\(timedOut ? " (killed at the timeout)" : "") after \(String(format: "%.1f", seconds)) s\n"
            + "stdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))"
    }

    /// A clean, catchable failure: exit status 1 (a runtime error, not a trap at 132-139 or a
    /// kill), with `message` in what was printed on stderr.
    func isError(_ message: String) -> Bool { status == 1 && !timedOut && stderr.contains(message) }

    /// An error found before anything ran (syntax, names, `use`): exit status 2.
    func isStaticError(_ message: String) -> Bool { status == 2 && !timedOut && stderr.contains(message) }
}

/// Runs `looplab arguments...` in `directory`, with `environment` added, killing it (and its
/// process group) after `timeout` seconds. `interruptAfter` sends Ctrl-C (SIGINT) once.
func looplab(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], stdin: String? = nil,
             timeout: Double = 60, interruptAfter: Double? = nil) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(looplabBinary))
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["LOOPLAB_STDLIB"] = repositoryRoot.appendingPathComponent("stdlib").path
    env.merge(environment) { _, new in new }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    // Output goes to files, not pipes: a case that floods stdout must not block on a full pipe.
    let scratch = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    let started = Date()
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    var interrupted = false
    var timedOut = false
    while process.isRunning {
        let elapsed = Date().timeIntervalSince(started)
        if let delay = interruptAfter, !interrupted, elapsed >= delay {
            process.interrupt()
            interrupted = true
        }
        if elapsed >= timeout {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            break
        }
        usleep(20_000)
    }
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Outcome(status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", timedOut: timedOut,
                   seconds: Date().timeIntervalSince(started))
}

/// `looplab -e CODE` in `directory`.
func evaluate(_ code: String, in directory: URL? = nil, environment: [String: String] = [:], timeout: Double = 60,
              interruptAfter: Double? = nil) throws -> Outcome {
    try looplab(["-e", code], in: directory, environment: environment, timeout: timeout, interruptAfter: interruptAfter)
}

/// POSIX tar members written byte by byte, so a test can build what `looplab skill pack` never
/// would: two spellings of one path, a negative size, a link.
struct TarBuilder {
    private(set) var bytes: [UInt8] = []

    /// A member; `size` is written into the size field as given (default: the content's length
    /// in octal), so it can be malformed.
    mutating func add(_ name: String, _ content: String = "", type: Character = "0", size: String? = nil) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int, _ width: Int) {
            for (i, b) in text.utf8.prefix(width).enumerated() { header[offset + i] = b }
        }
        let data = Array(content.utf8)
        put(name, 0, 100)
        put("0000644", 100, 8)
        put("0000000", 108, 8)
        put("0000000", 116, 8)
        put(size ?? String(repeating: "0", count: max(0, 11 - String(data.count, radix: 8).count)) + String(data.count, radix: 8), 124, 12)
        put("00000000000", 136, 12)
        header[156] = type.asciiValue ?? 0x30
        put("ustar", 257, 6)
        put("00", 263, 2)
        let checksum = header.enumerated().reduce(0) { $0 + (148..<156 ~= $1.offset ? 0x20 : Int($1.element)) }
        put(String(repeating: "0", count: max(0, 6 - String(checksum, radix: 8).count)) + String(checksum, radix: 8), 148, 6)
        header[154] = 0
        header[155] = 0x20
        bytes += header
        if type == "0" { bytes += data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512) }
    }

    /// The archive with its two terminating zero blocks.
    var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }

    func write(to url: URL) throws { try Data(archive).write(to: url) }
}

/// A pack's manifest: `permissions` is the body of its `[permissions]` table.
func manifest(_ name: String, entry: [String], permissions: String = "") -> String {
    "name = \"\(name)\"\nversion = \"1.0.0\"\nentry = [\(entry.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
        + (permissions.isEmpty ? "" : "[permissions]\n\(permissions)\n")
}

extension Machine {
    /// Writes a pack directory under the machine's root: `files` maps paths to contents.
    func makePack(_ name: String, _ files: [String: String]) throws -> URL {
        let dir = root.appendingPathComponent("src/\(name)")
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// `looplab skill install TARGET --yes` in the project.
    func install(_ target: String, yes: Bool = true, environment extra: [String: String] = [:], timeout: Double = 60) throws -> Outcome {
        try looplab(["skill", "install", target] + (yes ? ["--yes"] : []), in: project,
                    environment: environment.merging(extra) { _, new in new }, timeout: timeout)
    }

    /// `looplab run main.loop` in the project, with `code` as main.loop.
    func runScript(_ code: String, environment extra: [String: String] = [:], timeout: Double = 60) throws -> Outcome {
        try write("main.loop", code)
        return try looplab(["run", "main.loop"], in: project, environment: environment.merging(extra) { _, new in new },
                           timeout: timeout)
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: project.appendingPathComponent(relativePath).path)
    }
}
