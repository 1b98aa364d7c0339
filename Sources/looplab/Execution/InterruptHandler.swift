import Glibc
import LoopLang

/// Ctrl-C and SIGTERM while a script runs: the first one raises the catchable "interrupted" error
/// in the program (so `try`/`catch` cleanup runs, a study records its running trial
/// `interrupted`, and output is flushed); a second one ends the process as the signal does.
/// After SIGTERM the exit status is 143 instead of 130.
enum InterruptHandler {
    static func install() {
        unblockInterrupt()
        signal(SIGINT) { _ in
            Interrupt.request()
            signal(SIGINT, SIG_DFL)
        }
        signal(SIGTERM) { _ in
            Interrupt.requestTermination()
            signal(SIGTERM, SIG_DFL)
        }
    }

    /// A parent may start us with SIGINT or SIGTERM blocked (some launchers and test runners
    /// do); threads inherit the mask, so unblock them before any evaluation thread is created.
    static func unblockInterrupt() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
