import Dispatch
import Foundation
import Glibc
import LoopLab
import LoopSupport
import Logging
import MCP
import SystemPackage

/// MCP's stdio transport, one JSON-RPC message per line, without polling. The SDK's
/// `StdioTransport` reads a non-blocking descriptor and sleeps 10 ms whenever it is empty, which
/// is where a request waits between an agent's calls: 20 ms for every ask + tell. Here a thread
/// of its own blocks in read(2) and hands each line on as it arrives; writes go through one
/// serial queue, so messages never interleave and no concurrency-pool thread blocks on a full pipe.
///
/// When the client closes stdin, requests it already sent are still answered: the end of input
/// reaches the server only once every request has had its response written (or was cancelled).
actor LineTransport: Transport {
    nonisolated let logger = Logger(label: "looplab.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
    private let input: Int32
    private let output: Int32
    private let messages: AsyncThrowingStream<Data, Swift.Error>
    private let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    private let writer = DispatchQueue(label: "looplab.mcp.write")
    private var connected = false
    private let outstanding = Outstanding()
    /// How long the end of input waits for answers: run_loop's longest budget, and a margin.
    static let drainLimit = Toolbox.runLoopMaxSeconds + 60

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        guard !connected else { return }
        connected = true
        let (fd, continuation, outstanding) = (input, self.continuation, self.outstanding)
        let reader = Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }  // end of input (the client went away) or an error
                pending.append(contentsOf: buffer[0..<n])
                var start = 0
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    if newline > start {
                        let line = Data(pending[start..<newline])
                        outstanding.received(line)
                        continuation.yield(line)
                    }
                    start = newline + 1
                }
                pending.removeFirst(start)
            }
            outstanding.waitUntilAnswered(limit: LineTransport.drainLimit)
            continuation.finish()
        }
        reader.name = "looplab.mcp.read"
        reader.start()
    }

    func disconnect() async {
        connected = false
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        let bytes = [UInt8](data) + [UInt8(ascii: "\n")]
        let fd = output
        let failure: Int32? = await withCheckedContinuation { done in
            writer.async {
                var offset = 0
                while offset < bytes.count {
                    let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        done.resume(returning: errno)
                        return
                    }
                    offset += n
                }
                done.resume(returning: nil)
            }
        }
        // Everything the server writes answers a request: it sends no notifications of its
        // own and asks the client nothing.
        outstanding.answered()
        if let failure { throw MCPError.transportError(Errno(rawValue: failure)) }
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, Swift.Error> { messages }
}

/// Requests the client sent that have no answer yet.
private final class Outstanding: @unchecked Sendable {
    private let condition = NSCondition()
    private var count = 0

    /// Counts a line that will be answered: a request (it has an id), or a line the server
    /// cannot read (answered with a parse error); a cancellation takes its request off.
    func received(_ line: Data) {
        let delta: Int
        switch JSONValue(json: String(decoding: line, as: UTF8.self)) {
        case nil: delta = 1
        case .object(let message)?:
            if message["method"] == "notifications/cancelled" { delta = -1 } else { delta = message["id"] != nil && message["method"] != nil ? 1 : 0 }
        case .array(let batch)?: delta = batch.contains { $0["id"] != nil && $0["method"] != nil } ? 1 : 0
        case _?: delta = 1
        }
        guard delta != 0 else { return }
        condition.lock()
        count += delta
        condition.unlock()
    }

    func answered() {
        condition.lock()
        count -= 1
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilAnswered(limit: Double) {
        let deadline = Date(timeIntervalSinceNow: limit)
        condition.lock()
        while count > 0, condition.wait(until: deadline) {}
        condition.unlock()
    }
}
