import Dispatch
import Foundation
import Glibc
import LoopLab
import LoopSupport
import MCP
import SystemPackage

/// `looplab mcp`: the toolbox (`LoopLab.Toolbox`) served over the Model Context Protocol on
/// stdin/stdout. This target is the only one that links the MCP SDK; the tools, their checks
/// and their results live in LoopLab and know nothing of the protocol.
public enum MCPServer {
    /// Serves until the client closes stdin, then settles what the session left running.
    public static func run(toolbox: Toolbox, version: String) async throws {
        // The protocol owns stdout: anything else printed there (a stray print, a library's
        // warning) would corrupt it. The transport writes to a copy of the descriptor, and
        // descriptor 1 becomes stderr.
        let protocolOut = dup(STDOUT_FILENO)
        guard protocolOut >= 0 else { throw MCPError.internalError("cannot duplicate stdout") }
        dup2(STDERR_FILENO, STDOUT_FILENO)
        _ = fcntl(protocolOut, F_SETFD, FD_CLOEXEC)

        let server = Server(
            name: "looplab", version: version, title: "Looplab",
            instructions: "Looplab's research loop: create_study, then ask for configurations and tell their results; best, trials, importance and report show where the study stands; remember and recall keep findings; run_loop evaluates .loop code. Resources: looplab://study/NAME, looplab://docs/PAGE.",
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        let tools = Toolbox.tools.map { tool in
            Tool(name: tool.name, title: tool.title, description: tool.summary, inputSchema: value(tool.inputSchema),
                 annotations: .init(title: tool.title, readOnlyHint: tool.readOnly, destructiveHint: tool.readOnly ? nil : false))
        }
        // Tools run one at a time on a queue of their own, never on the concurrency pool's few
        // threads (a store write blocks); run_loop runs beside them and can be cancelled.
        let queue = DispatchQueue(label: "looplab.mcp.tools")
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { params in
            let arguments = (params.arguments ?? [:]).mapValues(json)
            if params.name == "run_loop" {
                let cancellation = Toolbox.Cancellation()
                return await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        DispatchQueue.global().async {
                            continuation.resume(returning: result { () throws(Toolbox.Failure) in try toolbox.runLoop(arguments, cancellation: cancellation) })
                        }
                    }
                } onCancel: {
                    cancellation.cancel()
                }
            }
            return await withCheckedContinuation { continuation in
                queue.async {
                    continuation.resume(returning: result { () throws(Toolbox.Failure) in try toolbox.call(params.name, arguments) })
                }
            }
        }
        await server.withMethodHandler(ListResources.self) { _ in
            let resources = try await onQueue(queue) { () throws(Toolbox.Failure) in try toolbox.resources() }
            return ListResources.Result(resources: resources.map {
                Resource(name: $0.name, uri: $0.uri, description: $0.summary, mimeType: $0.mimeType)
            })
        }
        await server.withMethodHandler(ReadResource.self) { params in
            let (text, mimeType) = try await onQueue(queue) { () throws(Toolbox.Failure) in try toolbox.readResource(params.uri) }
            return ReadResource.Result(contents: [.text(text, uri: params.uri, mimeType: mimeType)])
        }

        let transport = LineTransport(input: STDIN_FILENO, output: protocolOut)
        try await server.start(transport: transport)
        await server.waitUntilCompleted()
        await server.stop()
        queue.sync { toolbox.close() }
    }

    /// A tool's outcome as MCP's result: the JSON as compact text, images after it; a failure as
    /// an error result the client shows the agent. No `structuredContent` copy: the tools declare
    /// no output schema, and the SDK encodes and decodes every result twice more on its way out,
    /// so the copy cost more than a third of an ask + tell (5.2 ms -> 3.9 ms measured).
    private static func result(_ body: () throws(Toolbox.Failure) -> Toolbox.Output) -> CallTool.Result {
        do throws(Toolbox.Failure) {
            let output = try body()
            var content: [Tool.Content] = [.text(text: output.json.serialized(), annotations: nil, _meta: nil)]
            for image in output.images { content.append(.image(data: image.base64, mimeType: image.mimeType, annotations: nil, _meta: nil)) }
            return CallTool.Result(content: content)
        } catch {
            return CallTool.Result(content: [.text(text: error.message, annotations: nil, _meta: nil)], isError: true)
        }
    }

    private static func onQueue<T: Sendable>(_ queue: DispatchQueue, _ body: @escaping @Sendable () throws(Toolbox.Failure) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do throws(Toolbox.Failure) { continuation.resume(returning: try body()) } catch {
                    continuation.resume(throwing: MCPError.invalidParams(error.message))
                }
            }
        }
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .number(let d): d.isFinite ? .double(d) : .null
        case .string(let s): .string(s)
        case .array(let items): .array(items.map(value))
        case .object(let fields): .object(fields.mapValues(value))
        }
    }

    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .number(d)
        case .string(let s): .string(s)
        case .data(_, let data): .string(data.base64EncodedString())
        case .array(let items): .array(items.map(json))
        case .object(let fields): .object(fields.mapValues(json))
        }
    }
}
