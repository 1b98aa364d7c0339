extension ThreadPool {
    /// Runs `body` on `0..<count` cut into blocks of `grain` (the last one shorter), the blocks
    /// spread over the pool; one block runs inline on the caller.
    ///
    /// The cut depends only on `count` and `grain`, never on the thread count, so a kernel that
    /// keeps per-block partial results and combines them in block order stays bit-identical for
    /// any number of threads.
    public func forEachBlock(_ count: Int, grain: Int, _ body: (_ block: Int, _ range: Range<Int>) -> Void) {
        precondition(grain > 0, "block grain must be positive")
        let blocks = (count + grain - 1) / grain
        if blocks <= 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        parallelFor(blocks) { b, _ in body(b, (b * grain)..<min(count, (b + 1) * grain)) }
    }

    /// Elements per block for element-wise kernels: 16 Ki floats (64 KiB) is a few microseconds of
    /// the cheapest kernel, well above a hand-off's cost, and below it a call stays on one thread.
    public static let elementGrain = 16 * 1024
}
