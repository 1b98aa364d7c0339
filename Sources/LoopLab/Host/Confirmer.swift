import Glibc

/// How the policy asks a person before an action (`policy {confirm: [...]}`). Tests inject
/// answers; the real one asks at the terminal.
public protocol Confirmer: AnyObject {
    /// true or false: the answer; nil: nobody can be asked (no terminal, and no `--yes`).
    func confirm(_ question: String) -> Bool?
}

/// Asks on the terminal: the question on stderr, the answer from stdin, both only when they are
/// terminals, so an unattended run never blocks on a prompt. `--yes` (`LOOPLAB_YES=1`, see
/// `HostSettings`) answers yes.
public final class TerminalConfirmer: Confirmer {
    let assumeYes: Bool

    public init(assumeYes: Bool) { self.assumeYes = assumeYes }

    public func confirm(_ question: String) -> Bool? {
        if assumeYes { return true }
        guard isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 else { return nil }
        let prompt = Array("\(question) [y/N] ".utf8)
        _ = prompt.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        // Byte by byte up to the newline, so nothing after the answer is consumed from stdin.
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(STDIN_FILENO, &byte, 1) == 1, byte != 10 { bytes.append(byte) }
        let answer = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }.lowercased()
        return answer == "y" || answer == "yes"
    }
}
