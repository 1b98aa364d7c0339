import LoopLang

extension LoopLab {
    /// Ends a program's use of the host: closes the project store if it was opened, folding the
    /// write-ahead log back into `looplab.db`. Call it when a script ends, whether it succeeded,
    /// raised an error or was interrupted, and when the REPL exits; later use reopens the store.
    public static func finish(_ interpreter: Interpreter) {
        interpreter.attachment(ResearchContext.self)?.close()
    }
}
