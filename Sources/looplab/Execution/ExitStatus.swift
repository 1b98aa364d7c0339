/// The process exit statuses `looplab` promises.
enum ExitStatus {
    static let success: Int32 = 0
    /// An error raised while the program ran.
    static let runtime: Int32 = 1
    /// Bad usage, a syntax error, or an error found before running (an undefined name...).
    static let usage: Int32 = 2
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    static let interrupted: Int32 = 130
    /// Stopped by SIGTERM (128 + SIGTERM), after recording running trials and flushing output.
    static let terminated: Int32 = 143
}
