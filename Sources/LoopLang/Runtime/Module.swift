/// A top-level variable of a module (a file, or the REPL session). Compiled code holds the
/// cell itself, so lookups cost one load.
final class GlobalCell {
    let name: String
    var value: Value = .nil {
        didSet {
            if case .function(let f) = value, f.isClosure {
                closure = Unmanaged.passUnretained(unsafeDowncast(f, to: Closure.self))
            } else {
                closure = nil
            }
        }
    }
    /// The closure `value` holds, if any, without a reference count: call sites of named
    /// functions use it so that a call does not retain and release the function object.
    /// Safe because `value` keeps the closure alive, and call sites use it only for cells that
    /// cannot be reassigned while code runs (`fn` and `let`).
    private(set) var closure: Unmanaged<Closure>?
    var defined = false
    var mutable: Bool

    init(name: String, mutable: Bool) {
        self.name = name
        self.mutable = mutable
    }
}

/// The top-level names of one file or of the REPL session.
final class Module {
    let name: String
    var globals: [String: GlobalCell] = [:]
    /// Names declared with `let`, `fn` or `skill` at the top level: what `use` brings in.
    var exports: [String] = []
    /// Declaration order of user names, for `:vars`.
    var order: [String] = []
    var code: Code?
    var frameSize = 1
    var state: State = .compiling
    /// Who this module's code runs as; nil for trusted code.
    var principal: Principal?

    enum State { case compiling, compiled, running, ran }

    init(name: String) { self.name = name }

    func cell(_ name: String, mutable: Bool) -> GlobalCell {
        if let c = globals[name] {
            c.mutable = mutable
            return c
        }
        let c = GlobalCell(name: name, mutable: mutable)
        globals[name] = c
        order.append(name)
        return c
    }
}
