import LoopLang
import LoopSkills

/// What a pack granted a list of programs (`exec = ["python3"]`) may run, and how: only those
/// programs, as the files they were found at when the user granted them, never through a shell
/// and never with a PATH or a dynamic loader of its own choosing. A shell string is accepted when
/// it is a plain command (`echo hi "a b"`): it is split into argv here and run without a shell, so
/// the program checked is the program run. `exec = true` keeps the shell and any environment.
enum ExecGrant {
    /// What to run instead of `command`, when a pack with a program list is on the call stack;
    /// nil when only trusted code, or only packs granted `exec = true`, are.
    static func restrict(_ command: ExecCommand, environment: [String: String?],
                         interpreter: Interpreter) throws(LoopError) -> (command: ExecCommand, executable: String)? {
        let grants = Capabilities.packGrants(interpreter)
        let listed = grants.filter { if case .programs = $0.permissions.exec { true } else { false } }
        guard let first = listed.first else { return nil }
        var argv = command.argv
        if command.isShell {
            switch SimpleCommand.words(of: command.arguments[1]) {
            case .words(let words): argv = words
            case .needsShell(let feature):
                throw LoopError(.host(kind: "permission", message: Capabilities.denialMessage(first,
                    "run \(feature) (command: \(command.display))",
                    because: "its manifest grants programs, not a shell; pass an argv list such as exec([\"prog\", \"arg\"])")))
            }
        }
        guard let program = argv.first, !program.isEmpty else { throw execError("exec: the command is empty") }
        for name in environment.keys where forbidden(name) {
            throw LoopError(.host(kind: "permission", message: Capabilities.denialMessage(first, "set \(name) for '\(program)'",
                because: "a pack granted a list of programs may not change PATH, the dynamic loader or the shell")))
        }
        // Every pack on the stack must grant the name (the general check says so); the file run
        // is the one they were granted, which must be the same for all of them.
        try Capabilities.requireGrant(.exec(program: program), interpreter: interpreter)
        let paths = Set(listed.map { $0.permissions.grantedPath(of: program) })
        guard paths.count == 1, let path = paths.first ?? nil else {
            let grant = listed.first { $0.permissions.grantedPath(of: program) == nil } ?? first
            throw LoopError(.host(kind: "permission", message: Capabilities.denialMessage(grant, "run '\(program)'",
                because: "it was not found on your PATH when the pack was granted, so there is no file to run; reinstall the pack")))
        }
        return (ExecCommand(argv: argv), path)
    }

    /// Variables that choose which file runs or what it loads: `PATH`, the dynamic loader's
    /// (`LD_*`, `DYLD_*`, `GCONV_PATH`...) and the shell's start-up files.
    static func forbidden(_ name: String) -> Bool {
        name == "PATH" || name.hasPrefix("LD_") || name.hasPrefix("DYLD_")
            || ["GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "MALLOC_TRACE", "NLSPATH",
                "RESOLV_HOST_CONF", "RES_OPTIONS", "TZDIR", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "IFS", "CDPATH"].contains(name)
    }
}

/// Splits a shell string into argv the way `sh` would, for plain commands only: words separated
/// by blanks, with '...' and "..." quoting and backslash escapes. Anything that would make the
/// shell do more than run one program with these words is reported, not interpreted.
enum SimpleCommand {
    enum Parse: Equatable {
        case words([String])
        /// What in the text needs a shell: "';' (several commands)", "'$' (a substitution)"...
        case needsShell(String)
    }

    static func words(of text: String) -> Parse {
        var words: [String] = []
        var word = ""
        var inWord = false
        var chars = Array(text)[...]
        func refuse(_ c: Character, _ what: String) -> Parse {
            .needsShell((c == "\n" ? "a newline" : c == "\r" ? "a carriage return" : "'\(c)'") + " (\(what))")
        }
        while let c = chars.popFirst() {
            switch c {
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            case "\n", "\r", ";", "&", "|": return refuse(c, "several commands, a pipe or a background job")
            case "<", ">": return refuse(c, "a redirection")
            case "(", ")", "`", "$": return refuse(c, "a subshell or a substitution")
            case "*", "?", "[": return refuse(c, "a file name pattern")
            case "~" where !inWord, "#" where !inWord: return refuse(c, c == "~" ? "a home directory" : "a comment")
            case "=" where words.isEmpty && inWord && word.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }):
                return refuse(c, "a variable assignment")
            case "\\":
                guard let next = chars.popFirst(), next != "\n" else { return refuse(c, "a line continuation") }
                word.append(next); inWord = true
            case "'":
                guard let end = chars.firstIndex(of: "'") else { return refuse(c, "an unterminated quote") }
                word += String(chars[..<end]); chars = chars[(end + 1)...]; inWord = true
            case "\"":
                inWord = true
                while true {
                    guard let q = chars.popFirst() else { return refuse(c, "an unterminated quote") }
                    if q == "\"" { break }
                    if q == "$" || q == "`" { return refuse(q, "a substitution") }
                    if q == "\\", let next = chars.first, "\"\\$`".contains(next) { word.append(next); chars = chars.dropFirst(); continue }
                    word.append(q)
                }
            default:
                word.append(c); inWord = true
            }
        }
        if inWord { words.append(word) }
        return .words(words)
    }
}
