import Foundation
import Glibc
import LoopLab
import LoopLang
import LoopStore
import class LoopTrain.ThreadPool
import LoopSupport
import Synchronization

/// `looplab run --workers N FILE`: N copies of the script, each a worker process sharing the
/// project store, so the studies they open share their trials (claimed atomically: no trial
/// number or configuration runs twice, `max_trials` is never overshot). The launcher prefixes
/// each worker's output lines with `[wI]`, draws one combined status line from the store instead
/// of N progress lines, forwards Ctrl-C and SIGTERM to every worker, and exits with the worst
/// status any worker had.
enum WorkerLauncher {
    static func run(file: String, arguments: [String], settings: HostSettings, workers: Int) -> Int32 {
        // A script that cannot be read or does not compile fails once, here, not once per worker.
        if let status = check(file, settings: settings) { return status }
        let storePath = Store.resolveLocation(settings.storePath, projectDirectory: URL(fileURLWithPath: POSIXFiles.currentDirectory()))
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var environment = ChildProcess.currentEnvironment()
        // The CPUs shared out among the workers (each trains with its share), unless the user
        // chose: N workers each starting a pool of every CPU would only take turns.
        if environment["LOOPLAB_THREADS"] == nil {
            environment["LOOPLAB_THREADS"] = String(max(1, ThreadPool.availableCPUs / workers))
        }
        // What the status line counts from: trials newer than the store's newest now.
        var before: Int64 = 0
        if let store = try? Store.openExisting(storePath, options: Store.Options(readOnly: true)) {
            before = (try? store.lastTrialID()) ?? 0
            try? store.close()
        }
        // Before the first worker starts, so a Ctrl-C while they start is forwarded, not fatal.
        SignalForwarding.install()
        var children: [Worker] = []
        for index in 0..<workers {
            environment[WorkerRole.variable] = WorkerRole(index: index, count: workers)!.environmentValue
            // Through the environment, not argv: a server URL may carry a password, and every
            // user of the machine can read a process's arguments.
            environment["LOOPLAB_STORE"] = storePath
            let argv = ["run"] + (settings.assumeYes ? ["--yes"] : []) + [file] + arguments
            do {
                children.append(try Worker.start(index: index, executable: executable, arguments: argv, environment: environment))
            } catch {
                Diagnostics.printError("looplab run: cannot start worker \(index): \(error.reason)")
                for child in children { kill(child.pid, SIGTERM) }
                for child in children { _ = child.wait() }
                return ExitStatus.runtime
            }
        }
        let status = StatusLine(storePath: storePath, afterTrialID: before, workers: workers)
        var statuses: [Int32] = Array(repeating: 0, count: workers)
        while children.contains(where: { !$0.isDone }) {
            let pending = SignalForwarding.take()
            for signal in pending {
                for child in children where !child.isDone { kill(child.pid, signal) }
            }
            let lines = Worker.readLines(children, timeoutMilliseconds: 200)
            if !lines.isEmpty {
                status.clear()
                for (child, stream, line) in lines {
                    let text = "[w\(child.index)] \(line)\n"
                    FileDescriptor.writeAll(stream == 1 ? 1 : 2, text)
                }
            }
            for child in children where child.outputClosed && !child.isDone {
                statuses[child.index] = child.wait()
                if statuses[child.index] != 0 {
                    status.clear()
                    FileDescriptor.writeAll(2, "[w\(child.index)] " + child.ending + "\n")
                }
            }
            status.refresh(running: children.filter { !$0.isDone }.count)
        }
        status.finish()
        return statuses.max() ?? 0
    }

    /// The exit status when the script cannot be read or compiled (its error printed), else nil.
    private static func check(_ file: String, settings: HostSettings) -> Int32? {
        let source: SourceFile
        do throws(POSIXFiles.Failure) { source = try ScriptRunner.Source.file(file).load() } catch {
            Diagnostics.printError("error: cannot read '\(file)': \(error.reason)")
            return ExitStatus.usage
        }
        return Interpreter.onLargeStack { () -> Int32? in
            do throws(LoopError) {
                try LoopLab.makeInterpreter(settings: settings).check(source)
                return nil
            } catch {
                Diagnostics.printError(DiagnosticRenderer.render(error))
                return ExitStatus.usage
            }
        }
    }

    /// One worker process and what is left of its output.
    final class Worker {
        let index: Int
        let pid: pid_t
        /// Standard output and error, read ends; -1 once closed.
        var descriptors: [Int32]
        var partial: [[UInt8]] = [[], []]
        private(set) var isDone = false
        private var status: Int32 = 0
        /// How it ended, for the launcher's line about a worker that failed.
        private(set) var ending = ""

        init(index: Int, pid: pid_t, descriptors: [Int32]) {
            self.index = index
            self.pid = pid
            self.descriptors = descriptors
        }

        var outputClosed: Bool { descriptors.allSatisfy { $0 < 0 } }

        static func start(index: Int, executable: String, arguments: [String], environment: [String: String]) throws(ChildProcess.Failure) -> Worker {
            var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
            guard pipe(&out) == 0, pipe(&err) == 0 else { throw .spawn(errno) }
            for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            defer { close(out[1]); close(err[1]) }
            do throws(ChildProcess.Failure) {
                let pid = try ChildProcess.spawn(executable, arguments: arguments, environment: environment, stdout: out[1], stderr: err[1])
                return Worker(index: index, pid: pid, descriptors: [out[0], err[0]])
            } catch {
                close(out[0])
                close(err[0])
                throw error
            }
        }

        /// Waits for the process and gives its exit status (128 + the signal that killed it).
        func wait() -> Int32 {
            guard !isDone else { return status }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            ending = signal == 0 ? "worker exited with status \(status)" : "worker stopped by signal \(signal) (status \(status))"
            isDone = true
            return status
        }

        /// Complete lines that arrived on any worker's output within `timeoutMilliseconds`:
        /// (worker, 1 or 2, line). A closed stream gives its unfinished last line.
        static func readLines(_ workers: [Worker], timeoutMilliseconds: Int32) -> [(Worker, Int, String)] {
            var polled: [pollfd] = []
            var owners: [(Worker, Int)] = []
            for worker in workers {
                for (slot, fd) in worker.descriptors.enumerated() where fd >= 0 {
                    polled.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
                    owners.append((worker, slot))
                }
            }
            guard !polled.isEmpty else { return [] }
            guard poll(&polled, nfds_t(polled.count), timeoutMilliseconds) > 0 else { return [] }
            var lines: [(Worker, Int, String)] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            for (entry, (worker, slot)) in zip(polled, owners) where entry.revents != 0 {
                let n = read(entry.fd, &buffer, buffer.count)
                if n > 0 {
                    worker.partial[slot] += buffer[0..<n]
                    while let newline = worker.partial[slot].firstIndex(of: 10) {
                        lines.append((worker, slot + 1, String(decoding: worker.partial[slot][..<newline], as: UTF8.self)))
                        worker.partial[slot].removeSubrange(...newline)
                    }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    if !worker.partial[slot].isEmpty {
                        lines.append((worker, slot + 1, String(decoding: worker.partial[slot], as: UTF8.self)))
                        worker.partial[slot] = []
                    }
                    close(entry.fd)
                    worker.descriptors[slot] = -1
                }
            }
            return lines
        }
    }

    /// Ctrl-C and SIGTERM reach the launcher only (each worker leads its own process group); the
    /// main loop forwards them. A second Ctrl-C is forwarded too, and ends the workers as it
    /// would end one process.
    enum SignalForwarding {
        private static let pending = Atomic<Int>(0)

        static func install() {
            InterruptHandler.unblockInterrupt()
            signal(SIGINT) { _ in SignalForwarding.pending.add(1, ordering: .relaxed) }
            signal(SIGTERM) { _ in SignalForwarding.pending.add(1 << 16, ordering: .relaxed) }
        }

        /// The signals that arrived since the last call.
        static func take() -> [Int32] {
            let value = pending.exchange(0, ordering: .relaxed)
            return Array(repeating: SIGINT, count: value & 0xFFFF) + Array(repeating: SIGTERM, count: value >> 16)
        }
    }

    /// The combined status of the workers' studies, read from the store: redrawn in place on a
    /// terminal; in a log, a line when the number of finished trials changed (at most every 5 s)
    /// and one at the end.
    final class StatusLine {
        let storePath: String
        let afterTrialID: Int64
        let workers: Int
        private let interactive = isatty(2) != 0
        private var store: Store?
        private var drawn = false
        private var lastRead = 0.0
        private var lastLogged = -Double.infinity
        private var lastText = ""
        private var lastFinished = -1

        init(storePath: String, afterTrialID: Int64, workers: Int) {
            self.storePath = storePath
            self.afterTrialID = afterTrialID
            self.workers = workers
        }

        func clear() {
            if drawn { FileDescriptor.writeAll(2, "\r\u{1B}[K") }
            drawn = false
        }

        func refresh(running: Int) {
            let now = Monotonic.seconds()
            guard now - lastRead >= 0.5 else {
                if interactive, !drawn, !lastText.isEmpty { draw(lastText) }
                return
            }
            lastRead = now
            guard let (text, finished) = read(running: running) else { return }
            lastText = text
            if interactive {
                draw(text)
            } else if finished != lastFinished, now - lastLogged >= 5 {
                FileDescriptor.writeAll(2, text + "\n")
                lastLogged = now
                lastFinished = finished
            }
        }

        func finish() {
            clear()
            if let (text, _) = read(running: 0) { FileDescriptor.writeAll(2, text + "\n") }
            try? store?.close()
        }

        private func draw(_ text: String) {
            FileDescriptor.writeAll(2, "\r\u{1B}[K" + text)
            drawn = true
        }

        private func read(running: Int) -> (String, Int)? {
            if store == nil { store = try? Store.openExisting(storePath, options: Store.Options(readOnly: true)) }
            guard let store, let studies = try? store.studyActivity(afterTrialID: afterTrialID), !studies.isEmpty else {
                return ("workers \(running)/\(workers) running", 0)
            }
            var finished = 0
            let parts = studies.map { study -> String in
                finished += study.total - (study.counts[.running] ?? 0)
                let order: [TrialState] = [.complete, .running, .failed, .pruned, .diverged, .interrupted, .stale]
                let counts = order.compactMap { state in study.counts[state].map { "\($0) \(state.rawValue)" } }
                let best = study.best.map { "  best \(study.goalMetric ?? "value") \(NumberFormat.short($0))" } ?? ""
                return "study \(study.name): \(study.total) trials (\(counts.joined(separator: ", ")))\(best)"
            }
            return ("workers \(running)/\(workers) running  " + parts.joined(separator: "  "), finished)
        }
    }
}
