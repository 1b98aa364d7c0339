import ArgumentParser
import Dispatch
import LoopDashboard
import LoopLang
import LoopStore

/// `looplab dashboard [--store PATH] [--port 8787]`.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a read-only web dashboard of the project store on 127.0.0.1 (studies, live reports, models, notes, skills).",
        discussion: "Open the printed address in a browser; a study's page follows it while it runs. Stop with Ctrl-C. Only this machine can connect.")

    @Option(help: "The port (0 picks a free one).") var port = 8787
    @OptionGroup var store: StoreOptions

    func run() throws {
        guard (0...65535).contains(port) else {
            Diagnostics.printError("looplab dashboard: --port must be in 0...65535, got \(port)")
            throw ExitCode(ExitStatus.usage)
        }
        let db = try store.open()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        let port = self.port
        Task.detached {
            do {
                try await Dashboard.run(store: db, port: port) { url in
                    FileDescriptor.writeAll(1, "dashboard: \(url) (store \(db.location)); Ctrl-C stops it\n")
                }
            } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure {
            Diagnostics.printError("looplab dashboard: \(failure)")
            throw ExitCode(1)
        }
    }
}
