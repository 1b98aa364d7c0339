import Glibc

/// Finds the `.loop` standard library (`stdlib/`, holding `prelude.loop`) at run time:
/// 1. `$LOOPLAB_STDLIB`;
/// 2. a build tree: walking up from the executable (`<repo>/.build/release/looplab`) to the first
///    directory that holds `stdlib/prelude.loop`;
/// 3. an install: `<prefix>/bin/looplab` → `<prefix>/share/looplab/stdlib`.
public enum StdlibLocator {
    public static func locate(
        environment: (String) -> String? = { getenv($0).map { String(cString: $0) } },
        executable: String? = POSIXFiles.executablePath()
    ) -> String? {
        if let explicit = environment("LOOPLAB_STDLIB"), !explicit.isEmpty { return explicit }
        guard let executable else { return nil }
        let binDirectory = POSIXFiles.parent(executable)
        var directory = binDirectory
        while true {
            let candidate = directory == "/" ? "/stdlib" : directory + "/stdlib"
            if POSIXFiles.exists(candidate + "/prelude.loop") { return candidate }
            let up = POSIXFiles.parent(directory)
            if up == directory { break }
            directory = up
        }
        let installed = POSIXFiles.parent(binDirectory) + "/share/looplab/stdlib"
        if POSIXFiles.exists(installed + "/prelude.loop") { return installed }
        return nil
    }
}
