extension Value {
    /// Structural equality: Int and Float compare by value; handles and functions by identity.
    public static func equal(_ a: Value, _ b: Value, depth: Int = 0) -> Bool {
        switch (a, b) {
        case (.nil, .nil): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.int(let x), .float(let y)): return Double(x) == y && Double(exactly: x) != nil
        case (.float(let x), .int(let y)): return x == Double(y) && Double(exactly: y) != nil
        case (.duration(let x), .duration(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.range(let a1, let b1), .range(let a2, let b2)): return a1 == a2 && b1 == b2
        case (.list(let x), .list(let y)):
            guard x.count == y.count, depth < 1_000_000 else { return false }
            for i in 0..<x.count where !equal(x[i], y[i], depth: depth + 1) { return false }
            return true
        case (.record(let x), .record(let y)):
            if x === y { return true }
            guard x.fields.count == y.fields.count, depth < 1_000_000 else { return false }
            for (k, v) in x.fields {
                guard let w = y.fields[k], equal(v, w, depth: depth + 1) else { return false }
            }
            return true
        case (.function(let x), .function(let y)): return x === y
        case (.handle(let x), .handle(let y)): return x.object === y.object
        case (.cell(let c), _): return equal(c.value, b, depth: depth)
        case (_, .cell(let c)): return equal(a, c.value, depth: depth)
        default: return false
        }
    }

    /// Ordering for `<` and `sorted()`: numbers, strings, durations, and lists lexicographically.
    /// Returns nil when the two values cannot be compared.
    public static func compare(_ a: Value, _ b: Value, depth: Int = 0) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.string(let x), .string(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.duration(let x), .duration(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.list(let x), .list(let y)):
            guard depth < 10_000 else { return nil }
            for i in 0..<min(x.count, y.count) {
                guard let c = compare(x[i], y[i], depth: depth + 1) else { return nil }
                if c != 0 { return c }
            }
            return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
        default:
            if let x = a.number, let y = b.number {
                if x.isNaN || y.isNaN { return nil }
                return x < y ? -1 : (x > y ? 1 : 0)
            }
            return nil
        }
    }
}
