import Glibc
import LoopSupport

/// `skill install GIT-URL`: a shallow clone into a temporary directory, by the `git` program
/// (its progress and errors go straight to the terminal).
enum GitCheckout {
    static func clone(_ url: String) throws(PackTooling.Failure) -> String {
        let directory: String
        do throws(POSIXFiles.Failure) { directory = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-git") } catch {
            throw PackTooling.Failure("skill install: cannot make a temporary directory: \(error.reason)")
        }
        let checkout = directory + "/pack"
        let status = run(["git", "clone", "--quiet", "--depth", "1", "--", url, checkout])
        guard status == 0 else {
            POSIXFiles.removeTree(directory)
            throw PackTooling.Failure(status == 127
                ? "skill install: cannot run git (is it installed?)"
                : "skill install: git clone \(url) failed (exit status \(status))")
        }
        POSIXFiles.removeTree(checkout + "/.git")
        return checkout
    }

    /// Runs a program found on PATH and waits; the exit status, 127 when it could not start.
    private static func run(_ arguments: [String]) -> Int32 {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, arguments[0], nil, nil, &argv, environ) == 0 else { return 127 }
        return ChildProcess.waitForExit(pid)
    }
}
