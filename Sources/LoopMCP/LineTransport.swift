import Dispatch
import Foundation
import Glibc
import Logging
import MCP
import SystemPackage

/// MCP's stdio transport, one JSON-RPC message per line, without polling. The SDK's
/// `StdioTransport` reads a non-blocking descriptor and sleeps 10 ms whenever it is empty, which
/// is where a request waits between an agent's calls: 20 ms for every ask + tell. Here a thread
/// of its own blocks in read(2) and hands each line on as it arrives; writes go through one
/// serial queue, so messages never interleave and no concurrency-pool thread blocks on a full pipe.
actor LineTransport: Transport {
    nonisolated let logger = Logger(label: "looplab.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
    private let input: Int32
    private let output: Int32
    private let messages: AsyncThrowingStream<Data, Swift.Error>
    private let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    private let writer = DispatchQueue(label: "looplab.mcp.write")
    private var connected = false

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        guard !connected else { return }
        connected = true
        let (fd, continuation) = (input, self.continuation)
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
                    if newline > start { continuation.yield(Data(pending[start..<newline])) }
                    start = newline + 1
                }
                pending.removeFirst(start)
            }
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
        if let failure { throw MCPError.transportError(Errno(rawValue: failure)) }
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, Swift.Error> { messages }
}
