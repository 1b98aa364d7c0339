import Glibc
import LoopLang

/// What `exec` runs: a String through `/bin/sh -c` (pipes, redirections and `&&` work), or a
/// List of Strings as argv (no shell, so nothing needs quoting).
struct ExecCommand {
    let executable: String
    let arguments: [String]
    /// The program a capability is checked for and a missing one is reported by: argv[0], or the
    /// first word of a shell command.
    let program: String
    /// How the command reads in messages and the artifact's name.
    let display: String
    /// Whether `program` is searched on PATH before spawning (a shell builtin is not a file).
    let checkProgram: Bool
    /// Whether it was given as a String, to run through `/bin/sh -c`.
    let isShell: Bool
    /// The argument vector as written: the program, then its arguments.
    var argv: [String] { [executable] + arguments }

    init(_ value: Value) throws(LoopError) {
        switch value {
        case .string(let text):
            guard !text.allSatisfy(\.isWhitespace) else { throw execError("exec: the command is empty") }
            let word = ExecCommand.firstWord(of: text)
            self.init(executable: "/bin/sh", arguments: ["-c", text], program: word ?? "sh", display: text,
                      checkProgram: word.map { !ExecCommand.shellWords.contains($0) } ?? false, isShell: true)
        case .list(let items):
            var argv: [String] = []
            for item in items {
                guard case .string(let s) = item else {
                    throw execError("exec: a command list holds Strings (argv), got \(item.typeName) in \(Printer.repr(value))")
                }
                argv.append(s)
            }
            guard argv.first.map({ !$0.isEmpty }) == true else { throw execError("exec: the command list is empty") }
            self.init(argv: argv)
        case let other:
            throw execError("exec: the command must be a String (run by /bin/sh -c) or a List of Strings (argv), got \(other.typeName)")
        }
    }

    /// A command run without a shell; `argv` is not empty.
    init(argv: [String]) {
        self.init(executable: argv[0], arguments: Array(argv.dropFirst()), program: argv[0],
                  display: argv.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " "), checkProgram: true, isShell: false)
    }

    private init(executable: String, arguments: [String], program: String, display: String, checkProgram: Bool, isShell: Bool) {
        self.executable = executable
        self.arguments = arguments
        self.program = program
        self.display = display
        self.checkProgram = checkProgram
        self.isShell = isShell
    }

    /// The first word a shell would run, skipping `NAME=value` assignments; nil when it is built
    /// at run time (quotes, `$`, backquotes, a subshell), so it cannot be checked beforehand.
    static func firstWord(of text: String) -> String? {
        let separators: Set<Character> = [";", "|", "&", "<", ">", "(", ")", "\n"]
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            var word = Substring(token)
            if let cut = word.firstIndex(where: { separators.contains($0) }) { word = word[..<cut] }
            if word.isEmpty { return nil }
            if word.contains(where: { "\"'$`\\*?[{~".contains($0) }) { return nil }
            if let eq = word.firstIndex(of: "="), word[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                continue  // an assignment before the command
            }
            return String(word)
        }
        return nil
    }

    /// Shell keywords and builtins: not files on PATH.
    static let shellWords: Set<String> = [
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in",
        "function", "!", "{", "}", "[", "[[", "test", "cd", "echo", "printf", "exit", "export", "set",
        "unset", "read", "eval", "exec", "source", ".", ":", "true", "false", "trap", "wait", "shift",
        "ulimit", "umask", "alias", "command", "type", "kill", "pwd", "return", "break", "continue",
        "times", "getopts", "hash", "local", "readonly",
    ]

    /// The executable file `program` names: a path (relative to `cwd`), or a name found on `path`
    /// (a PATH value); nil when there is none. The result is absolute or relative to `cwd`.
    static func resolve(_ program: String, path: String, cwd: String?) -> String? {
        func runnable(_ file: String) -> Bool {
            let full = file.hasPrefix("/") || cwd == nil ? file : cwd! + "/" + file
            var info = stat()
            return stat(full, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR && access(full, X_OK) == 0
        }
        if program.contains("/") { return runnable(program) ? program : nil }
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let file = (dir.isEmpty ? "." : String(dir)) + "/" + program
            if runnable(file) { return file }
        }
        return nil
    }
}

/// A failure of `exec` itself (not of the command it ran): a catchable error of kind "exec".
func execError(_ message: String) -> LoopError {
    LoopError(.host(kind: "exec", message: message))
}
