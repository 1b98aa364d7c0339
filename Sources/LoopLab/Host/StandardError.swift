import LoopLang

/// Notes, warnings and progress for the person running the program: written to stderr at once
/// (unbuffered), so they interleave correctly with output and survive the process being killed.
enum StandardError {
    /// Writes `text` as it is (progress redraws use carriage returns).
    static func write(_ text: String) { FileDescriptor.writeAll(2, text) }

    /// Writes one line (a newline is added).
    static func line(_ text: String) { write(text + "\n") }
}
