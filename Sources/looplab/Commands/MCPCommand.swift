import ArgumentParser
import Foundation
import Dispatch
import LoopLab
import LoopMCP

/// `looplab mcp [--store PATH] [--allow-exec] [--allow-write]`.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the project to an agent over the Model Context Protocol (stdio).",
        discussion: """
            Tools: list_studies, study_summary, create_study, ask, tell, add_trial, trials, best, \
            importance, report, set_strategy, remember, recall, promote, champion, rollback, \
            list_skills, skill_info, find_skills, dashboard, run_loop. Resources: looplab://study/NAME and \
            looplab://docs/PAGE. An MCP client starts this command itself; see docs/mcp.md for the \
            configuration snippet.

            run_loop evaluates .loop code as untrusted: it may use the store and read files, but \
            runs no program and writes no file unless the server was started with --allow-exec or \
            --allow-write (writes then go under the project directory only).

            Example (Claude Desktop, Cursor and others use the same shape):
              {"mcpServers": {"looplab": {"command": "looplab", "args": ["mcp", "--store", "/path/to/project/.looplab/looplab.db"]}}}
            """)

    @OptionGroup var store: StoreOptions

    @Flag(name: .customLong("allow-exec"), help: "Let run_loop code run programs (exec, agent).")
    var allowExec = false

    @Flag(name: .customLong("allow-write"), help: "Let run_loop code write files under the project directory, and report write to a path of the client's choice.")
    var allowWrite = false

    func run() throws {
        var settings = HostSettings.fromEnvironment().overridden(storePath: store.store, assumeYes: false)
        settings.storePath = try store.withArtifacts(settings.storePath)
        try store.checkServer(settings.storePath)
        let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let toolbox = Toolbox(settings: settings, grants: Toolbox.Grants(exec: allowExec, write: allowWrite), executable: executable)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task.detached {
            do { try await MCPServer.run(toolbox: toolbox, version: LoopLab.version) } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure {
            Diagnostics.printError("looplab mcp: \(failure)")
            throw ExitCode(1)
        }
    }
}
