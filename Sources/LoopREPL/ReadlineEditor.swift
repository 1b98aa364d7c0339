@preconcurrency import CReadline
import Glibc

// Readline calls back through C function pointers that cannot capture context, so the editor
// reading a line is reached through these globals. Only one line is read at a time.
nonisolated(unsafe) private var activeEditor: ReadlineEditor?
nonisolated(unsafe) private var finishedLine: LineResult?
nonisolated(unsafe) private var pendingMatches: [String] = []
nonisolated(unsafe) private var matchIndex = 0

/// A `LineEditor` over GNU readline: line editing, persistent history, tab completion.
///
/// Lines are read with readline's callback interface in a `poll` loop so that Ctrl-C at the
/// prompt (delivered through `InterruptSignal`'s wake-up pipe) can drop the line and return
/// `.interrupted` instead of killing the process. Multi-line cells are stored as one entry:
/// the history file is written with timestamps, which lets readline read entries that span
/// lines back as one.
public final class ReadlineEditor: LineEditor {
    public var completionHandler: CompletionHandler?
    /// The history file, or nil to keep history in memory only.
    public let historyPath: String?

    public init(historyPath: String? = HistoryFile.defaultPath()) {
        self.historyPath = historyPath
        rl_readline_name = UnsafePointer(strdup("looplab"))
        // Readline must not take over SIGINT: we handle it ourselves between keystrokes.
        rl_catch_signals = 0
        rl_catch_sigwinch = 0
        rl_attempted_completion_function = attemptCompletion
        // Break words at punctuation so the list readline shows holds short names (`append`,
        // not `xs.append`); `complete` reports its own word start and the two are reconciled.
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"'`()[]{},;:+-*/%<>=!|&.~"))
        history_comment_char = CChar(UInt8(ascii: "#"))
        history_write_timestamps = 1
        history_multiline_entries = 1
        using_history()
        clear_history()  // readline's history is process-wide; start from this file only
        if let path = historyPath {
            HistoryFile.makeDirectories(parentDirectory(of: path))
            if access(path, F_OK) == 0 {
                read_history(path)
                if history_length > 2000 {
                    stifle_history(2000)
                    write_history(path)
                    unstifle_history()
                }
            }
        }
    }

    public func readLine(prompt: String) -> LineResult {
        InterruptSignal.install()
        defer { InterruptSignal.uninstall() }
        // A Ctrl-C from before this prompt is stale; a resize while code ran still matters.
        if InterruptSignal.drain().resize { rl_reset_screen_size() }
        fflush(nil)
        activeEditor = self
        finishedLine = nil
        defer { activeEditor = nil }
        rl_callback_handler_install(prompt, lineHandler)
        let input = rl_instream.map { fileno($0) } ?? 0
        var hangups = 0
        while finishedLine == nil {
            var fds = [
                pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                pollfd(fd: InterruptSignal.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                rl_callback_handler_remove()
                return .eof
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                let signals = InterruptSignal.drain()
                if signals.resize { rl_resize_terminal() }
                if signals.interrupt {
                    cancelLine()
                    return .interrupted
                }
            }
            let events = fds[0].revents
            if events & Int16(POLLNVAL) != 0 {
                rl_callback_handler_remove()
                return .eof
            }
            if events & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                // A hung-up terminal should make readline report EOF; guard against it not doing so.
                if events & Int16(POLLIN) == 0 { hangups += 1 }
                if hangups > 16 {
                    rl_callback_handler_remove()
                    return .eof
                }
                rl_callback_read_char()
            }
        }
        if finishedLine == .eof { finishEOFLine() }
        return finishedLine ?? .eof
    }

    /// Moves past the prompt after Ctrl-D. Readline (8.1+) already does so when bracketed
    /// paste is on, as it is by default; otherwise we do.
    private func finishEOFLine() {
        if let value = rl_variable_value("enable-bracketed-paste"), String(cString: value) == "on" { return }
        writeToTerminal("\n")
    }

    /// Drops the line being typed after Ctrl-C, as Python's REPL does, and leaves the cursor on a
    /// fresh line.
    private func cancelLine() {
        rl_point = rl_end
        rl_redisplay()
        // Before readline restores the terminal, which returns the cursor to column 0.
        writeToTerminal("^C")
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
        writeToTerminal("\n")
    }

    private func writeToTerminal(_ text: String) {
        fflush(nil)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    public func addHistory(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace) else { return }
        if history_length > 0, let last = history_get(history_base + history_length - 1), let line = last.pointee.line,
           String(cString: line) == entry {
            return
        }
        add_history(entry)
        guard let path = historyPath else { return }
        if access(path, F_OK) != 0 {
            let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
        append_history(1, path)
    }

    /// The entries readline holds, oldest first (a multi-line cell is one entry).
    public var historyEntries: [String] {
        (0..<Int(history_length)).compactMap { i in
            history_get(history_base + Int32(i))?.pointee.line.map { String(cString: $0) }
        }
    }

    /// The completion for the line readline is editing, adjusted so every candidate replaces
    /// readline's word (`line[start..<rl_point]`).
    fileprivate func matches(readlineStart: Int) -> [String] {
        guard let handler = completionHandler, let buffer = rl_line_buffer else { return [] }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(rl_end)))
        let line = String(decoding: bytes, as: UTF8.self)
        let cursor = min(Int(rl_point), bytes.count)
        let completion = handler(line, cursor)
        rl_completion_append_character = completion.appendSpace ? 32 : 0
        return Self.rebase(completion, onto: readlineStart, line: bytes)
    }

    /// Rewrites candidates that replace `line[completion.start...]` into ones that replace
    /// `line[start...]`.
    public static func rebase(_ completion: Completion, onto start: Int, line: [UInt8]) -> [String] {
        let ours = max(0, min(completion.start, line.count))
        let theirs = max(0, min(start, line.count))
        if ours == theirs { return completion.candidates }
        if ours < theirs {
            let skip = theirs - ours
            return completion.candidates.compactMap { c in
                let u = Array(c.utf8)
                return u.count >= skip ? String(decoding: u[skip...], as: UTF8.self) : nil
            }
        }
        let prefix = String(decoding: line[theirs..<ours], as: UTF8.self)
        return completion.candidates.map { prefix + $0 }
    }
}

private func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

private let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
    if let line {
        finishedLine = .line(String(cString: line))
        free(line)
    } else {
        finishedLine = .eof  // Ctrl-D on an empty line
    }
    // Removing the handler here stops readline from printing the prompt again.
    rl_callback_handler_remove()
}

private let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
    rl_attempted_completion_over = 1  // never fall back to readline's own filename completion
    guard let editor = activeEditor, let text else { return nil }
    pendingMatches = editor.matches(readlineStart: Int(start))
    matchIndex = 0
    guard !pendingMatches.isEmpty else { return nil }
    return rl_completion_matches(text, matchGenerator)
}

private let matchGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { matchIndex = 0 }
    guard matchIndex < pendingMatches.count else { return nil }
    defer { matchIndex += 1 }
    return strdup(pendingMatches[matchIndex])
}
