import Foundation
import LoopLab
import LoopSupport

/// `looplab bench mcp`: what one ask + tell costs an agent over stdio, at a study of 500 trials.
///
/// Two clients: a minimal JSON-RPC client here (one line out, one line back, timed around the
/// pair), which measures the server; and the official MCP Python SDK client driving both
/// `looplab mcp` and Optuna's `optuna-mcp` in the same invocation (`scripts/compare/mcp_optuna.py`),
/// which is what a Python agent pays and the like-for-like comparison. Both studies minimise
/// (x-1)^2 + (y+2)^2 over x, y in [-5, 5] with random proposals, on SQLite files.
enum MCPBench {
    static func report(trials: Int, optunaPython: String?) throws -> BenchReport {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var report = BenchReport(bench: "mcp", referenceNames: ["optuna-mcp"])
        Diagnostics.printError("bench mcp: \(trials) ask+tell pairs through a raw JSON-RPC client...")
        let raw = try rawClient(executable: executable, trials: trials)
        let tail = Array(raw.suffix(100))
        report.rows.append(BenchRow(caseName: "ask+tell, JSON-RPC client, median of \(trials)", value: median(raw), unit: "ms"))
        report.rows.append(BenchRow(caseName: "ask+tell, JSON-RPC client, p90 of \(trials)", value: percentile(raw, 0.9), unit: "ms"))
        report.rows.append(BenchRow(caseName: "ask+tell, JSON-RPC client, median of trials \(trials - tail.count)..\(trials - 1)", value: median(tail), unit: "ms"))

        Diagnostics.printError("bench mcp: the official MCP Python client on looplab mcp and optuna-mcp...")
        var arguments = ["--servers", "looplab,optuna", "--looplab", executable, "--trials", "\(trials)"]
        if let optunaPython { arguments += ["--optuna-python", optunaPython] }
        var note = "Per pair: ask -> objective -> tell, sequential, SQLite stores in one temp directory; ms, lower is better."
        switch PythonReference(script: "mcp_optuna.py", arguments: arguments).run() {
        case .success(let records):
            let byServer = Dictionary(records.compactMap { r in r.fields["server"].flatMap { v in if case .string(let s) = v { (s, r) } else { nil } } },
                                      uniquingKeysWith: { a, _ in a })
            func field(_ server: String, _ name: String) -> Double? { byServer[server]?.fields[name]?.number }
            for (name, label) in [("median_ms", "median"), ("p90_ms", "p90"), ("last100_median_ms", "median of the last 100")] {
                guard let looplab = field("looplab", name) else { continue }
                var row = BenchRow(caseName: "ask+tell, Python mcp client, \(label) of \(trials)", value: looplab, unit: "ms")
                row.references["optuna-mcp"] = field("optuna-mcp", name)
                report.rows.append(row)
            }
            if case .string(let why)? = byServer["optuna-mcp"]?.fields["skipped"] {
                note += " optuna-mcp skipped: \(why) (it needs Python >= 3.12 with `pip install optuna-mcp 'mcp[cli]<2'`; pass --optuna-python)."
            }
        case .failure(let skipped):
            note += " Python client rows skipped: \(skipped.reason) (pip install mcp)."
        }
        report.note = note
        return report
    }

    /// Milliseconds of each ask + tell pair, measured by a client that writes one JSON-RPC line
    /// and reads until the response with its id.
    private static func rawClient(executable: String, trials: Int) throws -> [Double] {
        let directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-bench-mcp")
        defer { POSIXFiles.removeTree(directory) }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: executable)
        server.arguments = ["mcp", "--store", directory + "/looplab.db"]
        let input = Pipe(), output = Pipe()
        server.standardInput = input
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            try? input.fileHandleForWriting.close()
            server.waitUntilExit()
        }
        var client = LineClient(write: input.fileHandleForWriting, read: output.fileHandleForReading)
        _ = try client.request("initialize", ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "bench", "version": "1"]])
        client.notify("notifications/initialized")
        let space: JSONValue = ["x": ["distribution": "uniform", "low": -5, "high": 5], "y": ["distribution": "uniform", "low": -5, "high": 5]]
        _ = try client.tool("create_study", ["name": "mcp-bench", "space": space, "goal": ["metric": "value"], "strategy": "random",
                                             "max_trials": .int(trials)])
        var times: [Double] = []
        times.reserveCapacity(trials)
        for _ in 0..<trials {
            let start = Monotonic.seconds()
            let asked = try client.tool("ask", ["study": "mcp-bench"])
            guard let trial = asked["trials"]?.arrayValue?.first, let number = trial["number"],
                  let x = trial["params"]?["x"]?.doubleValue, let y = trial["params"]?["y"]?.doubleValue else {
                throw ReportBench.BenchFailure("bench mcp: ask returned no trial: \(asked.serialized())")
            }
            _ = try client.tool("tell", ["study": "mcp-bench", "number": number, "metrics": ["value": .number((x - 1) * (x - 1) + (y + 2) * (y + 2))]])
            times.append((Monotonic.seconds() - start) * 1000)
        }
        return times
    }

    /// JSON-RPC over a pipe pair, one message per line.
    private struct LineClient {
        let write: FileHandle
        let read: FileHandle
        var buffer = Data()
        var nextID = 1

        mutating func request(_ method: String, _ params: JSONValue) throws -> JSONValue {
            let id = nextID
            nextID += 1
            send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
            while true {
                let line = try readLine()
                guard let message = JSONValue(json: line), message["id"]?.intValue == id else { continue }
                if let error = message["error"] { throw ReportBench.BenchFailure("bench mcp: \(method) failed: \(error.serialized())") }
                return message["result"] ?? .null
            }
        }

        /// A tool call's JSON result (its text content); an error result throws.
        mutating func tool(_ name: String, _ arguments: JSONValue) throws -> JSONValue {
            let result = try request("tools/call", ["name": .string(name), "arguments": arguments])
            let text = result["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            if result["isError"] == .bool(true) { throw ReportBench.BenchFailure("bench mcp: \(name): \(text)") }
            return JSONValue(json: text) ?? .null
        }

        func notify(_ method: String) { send(["jsonrpc": "2.0", "method": .string(method)]) }

        private func send(_ message: JSONValue) { write.write(Data((message.serialized() + "\n").utf8)) }

        private mutating func readLine() throws -> String {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    return line
                }
                let chunk = read.availableData
                if chunk.isEmpty { throw ReportBench.BenchFailure("bench mcp: the server closed its output") }
                buffer.append(chunk)
            }
        }
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    /// Linear interpolation between closest ranks (as numpy's default, and the Python script).
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = Double(sorted.count - 1) * q
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
