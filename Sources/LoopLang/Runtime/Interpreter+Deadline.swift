extension Interpreter {
    /// Limits how long the code this interpreter runs from now on may take: after `seconds`, its
    /// next statement, loop iteration or call raises a catchable error of kind "deadline" with
    /// `reason` as the message (and every checkpoint after that, until `cancel()`), and
    /// `Interrupt.isRequested` turns true for host primitives polling it. Call it on the thread
    /// that runs the interpreter (from a native function or a host iterator); cancel the deadline
    /// when the limited work ends. Deadlines of other interpreters are independent.
    public func startDeadline(seconds: Double, reason: String) -> Deadline {
        Deadline(seconds: seconds, reason: reason)
    }

    /// The expired deadline of the code running on this thread, if any (a host primitive that
    /// stopped because `Interrupt.isRequested` turned true can tell a budget from Ctrl-C).
    public var expiredDeadline: Deadline? { Deadline.expiredOnCurrentThread() }
}
