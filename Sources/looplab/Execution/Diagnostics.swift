import LoopLang

/// Writes to stderr, unbuffered, so errors appear even if the process exits right after.
enum Diagnostics {
    static func printError(_ text: String) {
        FileDescriptor.writeAll(2, text.hasSuffix("\n") ? text : text + "\n")
    }
}
