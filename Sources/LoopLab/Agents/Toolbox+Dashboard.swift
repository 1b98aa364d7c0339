import Foundation
import Glibc
import LoopStore
import LoopSupport

extension Toolbox {
    /// `dashboard`: starts `looplab dashboard` on this store (once; later calls return the same
    /// address) and stops it when the server closes. Optuna's server has the same door
    /// (launch_optuna_dashboard); here it is the project's read-only web dashboard on 127.0.0.1.
    func dashboard(_ args: Arguments) throws(Failure) -> Output {
        if let running = dashboardProcess, kill(running.pid, 0) == 0 { return Output(["url": .string(running.url), "started": false]) }
        guard let executable else { throw Failure("dashboard: this server cannot start the dashboard (no looplab executable known)") }
        let port = try args.int("port", in: 0...65535) ?? 0
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Failure("dashboard: cannot create a pipe") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        var arguments = ["dashboard", "--port", String(port)]
        if let store = settings.storePath { arguments += ["--store", store] }
        let pid: pid_t
        do throws(ChildProcess.Failure) {
            pid = try ChildProcess.spawn(executable, arguments: arguments, environment: ChildProcess.currentEnvironment(),
                                         stdout: fds[1], stderr: 2, directory: projectDirectory)
        } catch {
            Glibc.close(fds[0])
            Glibc.close(fds[1])
            throw Failure("dashboard: cannot start \(executable): \(error.reason)")
        }
        Glibc.close(fds[1])
        defer { Glibc.close(fds[0]) }
        // Its first line says where it listens: "dashboard: http://127.0.0.1:PORT (store ...)".
        var line: [UInt8] = []
        let deadline = Monotonic.seconds() + 20
        var byte: UInt8 = 0
        while Monotonic.seconds() < deadline {
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            guard read(fds[0], &byte, 1) == 1 else { break }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let url = text.split(separator: " ").first(where: { $0.hasPrefix("http://") }).map(String.init) else {
            kill(pid, SIGTERM)
            _ = ChildProcess.waitForExit(pid)
            throw Failure("dashboard: it did not start" + (text.isEmpty ? " (see the server's stderr)" : ": \(text)"))
        }
        dashboardProcess = (pid, url)
        return Output(["url": .string(url), "started": true])
    }

    /// Stops the dashboard this server started, if any.
    func stopDashboard() {
        guard let running = dashboardProcess else { return }
        kill(running.pid, SIGTERM)
        _ = ChildProcess.waitForExit(running.pid)
        dashboardProcess = nil
    }
}
