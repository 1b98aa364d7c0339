import Glibc

/// Starting a child process the way Looplab needs it (`exec`, the `--workers` launcher): the
/// leader of a process group of its own, so a stop can signal the child and everything it
/// started, and so a Ctrl-C at the terminal reaches only Looplab, which decides what to forward.
public enum ChildProcess {
    public enum Failure: Error, Sendable {
        /// posix_spawn failed with this errno.
        case spawn(Int32)
        /// A working directory was asked for, and this glibc lacks
        /// `posix_spawn_file_actions_addchdir_np` (2.29 or later has it).
        case noChdir

        public var reason: String {
            switch self {
            case .spawn(let code): String(cString: strerror(code))
            case .noChdir: "cwd: needs posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)"
            }
        }
    }

    /// Starts `path` (argv[0] is `path`, then `arguments`) with exactly `environment`, stdin from
    /// the file `stdin` (/dev/null unless given), stdout and stderr into the given descriptors, in `directory` when given. The
    /// signal mask and the dispositions of SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP and SIGCHLD
    /// are reset (Looplab ignores SIGPIPE and handles SIGINT; a child must not inherit that).
    public static func spawn(_ path: String, arguments: [String], environment: [String: String],
                             stdin: String = "/dev/null", stdout: Int32, stderr: Int32, directory: String? = nil) throws(Failure) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var reset = sigset_t()
        sigemptyset(&reset)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&reset, signal) }
        posix_spawnattr_setsigdefault(&attributes, &reset)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let directory {
            guard let addChdir = ChildProcess.addChdir else { throw .noChdir }
            _ = addChdir(&actions, directory)
        }

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw .spawn(rc) }
        return pid
    }

    /// Waits for the child to end; its status as a shell reports it: the exit code, or 128 + the
    /// signal that ended it. (Swift does not import WIFEXITED/WEXITSTATUS.)
    public static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// The environment of this process, as `spawn` takes it.
    public static func currentEnvironment() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") { variables[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            entry += 1
        }
        return variables
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np`, which the Glibc module does not import.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()
}
