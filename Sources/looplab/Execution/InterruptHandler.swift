import Glibc
import LoopLang

/// Ctrl-C while a script runs: the first one raises the catchable "interrupted" error in the
/// program (so `try`/`catch` cleanup runs); a second one kills the process as usual.
enum InterruptHandler {
    static func install() {
        unblockInterrupt()
        signal(SIGINT) { _ in
            Interrupt.request()
            signal(SIGINT, SIG_DFL)
        }
    }

    /// A parent may start us with SIGINT blocked (some launchers and test runners do); threads
    /// inherit the mask, so unblock it before any evaluation thread is created.
    static func unblockInterrupt() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
