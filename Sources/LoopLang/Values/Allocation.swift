import LoopSupport

/// Values that would be built all at once (a repeated list, a concatenated string, a range turned
/// into JSON) are measured against `MemoryBudget` first: a catchable `memory` error instead of a
/// trap when Swift cannot allocate them.
enum Allocation {
    static let valueStride = MemoryLayout<Value>.stride

    /// Refuses `count` items of `stride` bytes each (default: one `Value` each).
    static func require(_ what: @autoclosure () -> String, count: Int, stride: Int = valueStride) throws(LoopError) {
        if let exceeded = MemoryBudget.check(count: count, stride: stride) {
            throw LoopError(.outOfMemory(what: what(), needed: exceeded.needed, available: exceeded.available))
        }
    }

    /// Refuses `bytes` bytes.
    static func require(_ what: @autoclosure () -> String, bytes: Double) throws(LoopError) {
        if let exceeded = MemoryBudget.check(bytes: bytes) {
            throw LoopError(.outOfMemory(what: what(), needed: exceeded.needed, available: exceeded.available))
        }
    }
}

/// Ranges are stored as two bounds; everything that needs their length goes through here, so a
/// range wider than an Int can count (`-9223372036854775807..<1`) is an error, not a trap.
enum Ranges {
    static func count(_ lo: Int, _ hi: Int) throws(LoopError) -> Int {
        let (n, overflow) = hi.subtractingReportingOverflow(lo)
        if overflow { throw LoopError(.invalidValue("the range \(lo)..<\(hi) has more items than an Int can count")) }
        return n
    }

    /// The sum of `lo..<hi` without visiting every item (`sum(0..<100000000000)` is instant);
    /// an integer overflow when the sum does not fit.
    static func sum(_ lo: Int, _ hi: Int) throws(LoopError) -> Int {
        let n = try count(lo, hi)
        if n <= 1 << 16 {
            var total = 0
            for i in lo..<hi {
                let (t, o) = total.addingReportingOverflow(i)
                if o { throw LoopError(.integerOverflow("sum")) }
                total = t
            }
            return total
        }
        // n * (lo + hi - 1) / 2, halving whichever factor is even first.
        let (ends, o1) = lo.addingReportingOverflow(hi - 1)
        if o1 { throw LoopError(.integerOverflow("sum")) }
        let (total, o2) = n % 2 == 0 ? (n / 2).multipliedReportingOverflow(by: ends) : n.multipliedReportingOverflow(by: ends / 2)
        if o2 { throw LoopError(.integerOverflow("sum")) }
        return total
    }

    /// The items as a List, after checking they fit in memory.
    static func list(_ lo: Int, _ hi: Int, for what: String) throws(LoopError) -> [Value] {
        let n = try count(lo, hi)
        try Allocation.require("\(what) of \(lo)..<\(hi) (\(n) items)", count: n)
        return (lo..<hi).map { .int($0) }
    }
}
