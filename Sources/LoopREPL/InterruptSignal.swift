import Glibc
import LoopLang

// The handler runs on whichever thread the kernel picks, possibly not the REPL's (which lives on
// the interpreter's large-stack thread), so it cannot rely on interrupting a blocked `poll`.
// It raises the interpreter's flag and writes a byte to a self-pipe that the line editor polls.
nonisolated(unsafe) private var wakeRead: Int32 = -1
nonisolated(unsafe) private var wakeWrite: Int32 = -1
nonisolated(unsafe) private var previousINT = sigaction()
nonisolated(unsafe) private var previousWINCH = sigaction()
nonisolated(unsafe) private var installCount = 0

private let interruptByte: UInt8 = 0x63  // "c"
private let resizeByte: UInt8 = 0x77  // "w"

/// Ctrl-C and window-resize handling for interactive sessions.
///
/// While installed, SIGINT calls `Interrupt.request()` (running `.loop` code stops with the
/// catchable "interrupted" error) and wakes the line editor; SIGWINCH only wakes the editor.
/// `install`/`uninstall` nest, so the REPL and its editor can both hold it.
public enum InterruptSignal {
    /// The read end of the wake-up pipe; readable after a signal.
    public static var wakeDescriptor: Int32 { wakeRead }

    public static func install() {
        installCount += 1
        guard installCount == 1 else { return }
        if wakeRead < 0 {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { return }
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wakeRead = fds[0]
            wakeWrite = fds[1]
        }
        // Touch the interrupt flag now so its lazy initialisation never happens inside the handler.
        Interrupt.clear()
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocked read in this thread returns EINTR
        action.__sigaction_handler.sa_handler = { _ in
            Interrupt.request()
            var byte = interruptByte
            _ = write(wakeWrite, &byte, 1)
        }
        sigaction(SIGINT, &action, &previousINT)
        var resize = sigaction()
        sigemptyset(&resize.sa_mask)
        resize.sa_flags = SA_RESTART
        resize.__sigaction_handler.sa_handler = { _ in
            var byte = resizeByte
            _ = write(wakeWrite, &byte, 1)
        }
        sigaction(SIGWINCH, &resize, &previousWINCH)
        // A parent may have started us with SIGINT blocked (the mask survives exec); an
        // interactive session that promises Ctrl-C must receive it, at least on this thread.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    public static func uninstall() {
        guard installCount > 0 else { return }
        installCount -= 1
        guard installCount == 0 else { return }
        sigaction(SIGINT, &previousINT, nil)
        sigaction(SIGWINCH, &previousWINCH, nil)
    }

    /// Empties the wake-up pipe and says which signals arrived since the last drain.
    public static func drain() -> (interrupt: Bool, resize: Bool) {
        guard wakeRead >= 0 else { return (false, false) }
        var interrupt = false, resize = false
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(wakeRead, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            for byte in buffer[0..<n] {
                if byte == interruptByte { interrupt = true } else if byte == resizeByte { resize = true }
            }
        }
        return (interrupt, resize)
    }
}
