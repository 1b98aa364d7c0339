import Glibc

/// Notes, warnings and progress for the person running the program: written to stderr at once
/// (unbuffered), so they interleave correctly with output and survive the process being killed.
enum StandardError {
    /// Writes `text` as it is (progress redraws use carriage returns).
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { p in
            var offset = 0
            while offset < p.count {
                let n = Glibc.write(2, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { if errno == EINTR { continue } else { break } }
                offset += n
            }
        }
    }

    /// Writes one line (a newline is added).
    static func line(_ text: String) { write(text + "\n") }
}
