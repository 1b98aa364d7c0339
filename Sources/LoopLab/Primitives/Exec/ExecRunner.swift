import Foundation
import Glibc
import LoopLang
import LoopSupport

/// Runs one command for `exec`: spawned with `posix_spawn` as the leader of a process group of
/// its own (`POSIX_SPAWN_SETPGROUP`), its combined output read here, on the interpreter's thread,
/// while the clock, Ctrl-C and the trial budget are watched.
///
/// Why not swift-subprocess: it can set the process group (`processGroupID`) and signal it, but
/// it is async-only, and waiting for it from the interpreter's synchronous thread deadlocked when
/// several interpreters ran commands at once (its termination never reached the waiting task); its
/// teardown also stops signalling once the group's leader has exited, which lets a grandchild that
/// ignores SIGTERM live on. Here a stop sends SIGTERM to the whole group, SIGKILL after `grace` if
/// its output is still open, and SIGKILL once more when the command is over, whatever the leader
/// did; the leader is reaped with `waitpid` on its own pid only.
struct ExecRunner {
    enum Stop { case timeout, interrupted }
    enum Termination { case exited(Int32), signaled(Int32) }

    struct Outcome {
        var termination: Termination
        var seconds: Double
        var stop: Stop?
        /// Set when the stop was the trial budget of the running code (not Ctrl-C).
        var deadline: Deadline?
        /// The command's process group id (its leader's pid).
        var processGroup: pid_t
    }

    var command: ExecCommand
    /// The program's file, already found on PATH.
    var executablePath: String
    var environment: [String: String?]
    var cwd: String?
    var timeout: Double?
    var grace: Double
    /// A file the command reads as its stdin (nil: /dev/null).
    var stdinPath: String? = nil
    /// Where the command's stderr goes when it is not to be mixed into the output (an agent's
    /// diagnostics, while its stdout is the answer); nil: into the output with stdout.
    var stderrDescriptor: Int32? = nil

    /// Runs the command to its end (or its stop), feeding `output` as bytes arrive.
    func run(into output: ExecOutput) throws(LoopError) -> Outcome {
        var fds: [Int32] = [0, 0]
        // Close-on-exec, so only the command (through its stdout and stderr) holds the write end.
        guard pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw execError("exec: cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let started = Monotonic.seconds()
        let pid: pid_t
        do throws(LoopError) { pid = try spawn(writing: writeEnd) } catch {
            close(readEnd)
            close(writeEnd)
            throw error
        }
        close(writeEnd)

        var stop: Stop?
        var deadline: Deadline?
        var termSent = false
        var killAt: Double?
        var giveUpReadingAt: Double?
        var open = true
        var status: Int32?
        var buffer = [UInt8](repeating: 0, count: 65536)
        defer { if open { close(readEnd) } }

        while open || status == nil {
            if open {
                var poller = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 50) > 0 {
                    let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress!, $0.count) }
                    if n > 0 {
                        buffer.withUnsafeBytes { output.consume(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                    } else if n == 0 || errno != EINTR {
                        close(readEnd)
                        open = false
                    }
                }
            } else {
                usleep(5_000)
            }
            let now = Monotonic.seconds()
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = raw
                    // The command is over: what it left running in its group (`sleep 100 &`) is a
                    // straggler, and would otherwise hold the output open until it ends.
                    if open {
                        kill(-pid, SIGKILL)
                        giveUpReadingAt = now + 2
                    }
                }
            }
            if stop == nil {
                if let timeout, now - started >= timeout {
                    stop = .timeout
                } else if Interrupt.isUserRequested {
                    stop = .interrupted  // left pending: the script stops at its next checkpoint
                } else if let expired = Deadline.expiredOnThisThread {
                    stop = .interrupted
                    deadline = expired
                }
            }
            if stop != nil {
                if !termSent {
                    kill(-pid, SIGTERM)
                    termSent = true
                    killAt = now + grace
                } else if let at = killAt, now >= at {
                    kill(-pid, SIGKILL)
                    killAt = nil
                    giveUpReadingAt = now + 2
                }
            }
            if let at = giveUpReadingAt, now >= at, open {
                // Something that left the group still holds the output open: stop waiting for it.
                close(readEnd)
                open = false
            }
        }
        output.finish()
        kill(-pid, SIGKILL)  // stragglers that closed their output (`sleep 100 > /dev/null &`)
        let raw = status ?? 0
        let termination: Termination = raw & 0x7f == 0 ? .exited((raw >> 8) & 0xff) : .signaled(raw & 0x7f)
        return Outcome(termination: termination, seconds: Monotonic.seconds() - started, stop: stop,
                       deadline: deadline, processGroup: pid)
    }

    /// Starts the command in a new process group (`ChildProcess`), its stdout and stderr into
    /// `writeEnd`.
    private func spawn(writing writeEnd: Int32) throws(LoopError) -> pid_t {
        var variables = ProcessInfo.processInfo.environment
        for (key, value) in environment { variables[key] = value }
        do throws(ChildProcess.Failure) {
            return try ChildProcess.spawn(executablePath, arguments: command.arguments, environment: variables,
                                          stdin: stdinPath ?? "/dev/null", stdout: writeEnd, stderr: stderrDescriptor ?? writeEnd, directory: cwd)
        } catch .noChdir {
            throw execError("exec: cwd: needs posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)")
        } catch {
            throw execError("exec: cannot run '\(command.display)': \(error.reason)")
        }
    }
}
