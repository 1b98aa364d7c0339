import LoopLab
import LoopLang

/// The interactive `looplab`: what the command runs with no arguments on a terminal.
public enum REPLMain {
    /// Prints a banner, then runs a readline session (history in `$XDG_STATE_HOME/looplab/history`)
    /// until Ctrl-D or `:quit`. Gives the process exit status.
    ///
    /// - Parameter version: shown in the banner; defaults to `looplab <LoopLab.version>`.
    public static func run(interpreter: Interpreter, version: String? = nil) -> Int32 {
        let title = version ?? "looplab \(LoopLab.version)"
        interpreter.output.write("\(title) · :help for commands and built-ins · Ctrl-D to exit\n")
        let editor = ReadlineEditor()
        let repl = REPL(interpreter: interpreter, editor: editor, handlesSignals: true)
        return repl.run()
    }
}
