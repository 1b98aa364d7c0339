import Glibc

/// Where the REPL keeps its history: `$XDG_STATE_HOME/looplab/history`, by default
/// `~/.local/state/looplab/history` (the XDG base-directory rules: a relative
/// `XDG_STATE_HOME` is ignored).
public enum HistoryFile {
    public static func defaultPath(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> String? {
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
            return state + "/looplab/history"
        }
        guard let home = environment("HOME"), !home.isEmpty else { return nil }
        return home + "/.local/state/looplab/history"
    }

    /// Creates every missing directory on the way to `directory` (like `mkdir -p`).
    @discardableResult
    public static func makeDirectories(_ directory: String) -> Bool {
        var path = ""
        for part in directory.split(separator: "/", omittingEmptySubsequences: true) {
            path += "/" + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST { return false }
        }
        return true
    }
}
