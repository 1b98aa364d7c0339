import Glibc

/// The general (slow-path) operators. The compiler inlines the Int and Float cases and calls
/// these for everything else.
enum Arithmetic {
    static func binary(_ op: BinaryOp, _ a: Value, _ b: Value) throws(LoopError) -> Value {
        switch op {
        case .add: return try add(a, b)
        case .subtract: return try subtract(a, b)
        case .multiply: return try multiply(a, b)
        case .divide: return try divide(a, b)
        case .modulo: return try modulo(a, b)
        case .power: return try power(a, b)
        case .equal: return .bool(Value.equal(a, b))
        case .notEqual: return .bool(!Value.equal(a, b))
        case .less, .lessEqual, .greater, .greaterEqual: return .bool(try compare(op, a, b))
        case .in: return .bool(try contains(b, a))
        }
    }

    static func mismatch(_ op: BinaryOp, _ a: Value, _ b: Value) -> LoopError {
        LoopError(.unsupportedOperands(op: op.rawValue, lhs: a.typeName, rhs: b.typeName))
    }

    static func add(_ a: Value, _ b: Value) throws(LoopError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw LoopError(.integerOverflow("+")) }
            return .int(r)
        case (.string(let x), .string(let y)):
            // A loop doubling a string reaches terabytes in forty steps: measure before joining.
            try Allocation.require("joining two Strings", bytes: Double(x.utf8.count) + Double(y.utf8.count))
            return .string(x + y)
        case (.list(let x), .list(let y)):
            try Allocation.require("joining two Lists", count: x.count + y.count)
            return .list(x + y)
        case (.duration(let x), .duration(let y)): return .duration(x + y)
        default:
            if let x = a.number, let y = b.number { return .float(x + y) }
            throw mismatch(.add, a, b)
        }
    }

    static func subtract(_ a: Value, _ b: Value) throws(LoopError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw LoopError(.integerOverflow("-")) }
            return .int(r)
        case (.duration(let x), .duration(let y)): return .duration(x - y)
        default:
            if let x = a.number, let y = b.number { return .float(x - y) }
            throw mismatch(.subtract, a, b)
        }
    }

    /// `n` after checking that `n` copies of `length` items of `stride` bytes fit in memory.
    static func repeatCount(_ n: Int, _ length: Int, stride: Int, what: String) throws(LoopError) -> Int {
        if n < 0 { throw LoopError(.invalidValue("cannot repeat a sequence a negative number of times")) }
        try Allocation.require("repeating \(what) \(n) times", bytes: Double(n) * Double(length) * Double(stride))
        return n
    }

    static func multiply(_ a: Value, _ b: Value) throws(LoopError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw LoopError(.integerOverflow("*")) }
            return .int(r)
        case (.duration(let d), _) where b.number != nil: return .duration(d * b.number!)
        case (_, .duration(let d)) where a.number != nil: return .duration(d * a.number!)
        case (.string(let s), .int(let n)), (.int(let n), .string(let s)):
            return .string(String(repeating: s, count: try repeatCount(n, s.utf8.count, stride: 1, what: "a String of \(s.utf8.count) bytes")))
        case (.list(let l), .int(let n)), (.int(let n), .list(let l)):
            let times = try repeatCount(n, l.count, stride: Allocation.valueStride, what: "a List of \(l.count) item\(l.count == 1 ? "" : "s")")
            var out: [Value] = []
            out.reserveCapacity(l.count * times)
            for _ in 0..<times { out.append(contentsOf: l) }
            return .list(out)
        default:
            if let x = a.number, let y = b.number { return .float(x * y) }
            throw mismatch(.multiply, a, b)
        }
    }

    static func divide(_ a: Value, _ b: Value) throws(LoopError) -> Value {
        switch (a, b) {
        case (.duration(let x), .duration(let y)):
            if y == 0 { throw LoopError(.divisionByZero) }
            return .float(x / y)
        case (.duration(let d), _) where b.number != nil:
            if b.number! == 0 { throw LoopError(.divisionByZero) }
            return .duration(d / b.number!)
        default:
            guard let x = a.number, let y = b.number else { throw mismatch(.divide, a, b) }
            if y == 0 { throw LoopError(.divisionByZero) }
            return .float(x / y)
        }
    }

    /// Floor modulo: the result has the sign of the divisor, as in Python.
    static func modulo(_ a: Value, _ b: Value) throws(LoopError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { throw LoopError(.divisionByZero) }
            if y == -1 { return .int(0) }
            let r = x % y
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case (.duration(let x), .duration(let y)):
            if y == 0 { throw LoopError(.divisionByZero) }
            let r = fmod(x, y)
            return .duration(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        default:
            guard let x = a.number, let y = b.number else { throw mismatch(.modulo, a, b) }
            if y == 0 { throw LoopError(.divisionByZero) }
            let r = fmod(x, y)
            return .float(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        }
    }

    static func power(_ a: Value, _ b: Value) throws(LoopError) -> Value {
        if case .int(var base) = a, case .int(var e) = b, e >= 0 {
            var result = 1
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw LoopError(.integerOverflow("**")) }
                    result = r
                }
                e >>= 1
                if e > 0 {
                    let (sq, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw LoopError(.integerOverflow("**")) }
                    base = sq
                }
            }
            return .int(result)
        }
        guard let x = a.number, let y = b.number else { throw mismatch(.power, a, b) }
        return .float(pow(x, y))
    }

    static func negate(_ a: Value) throws(LoopError) -> Value {
        switch a {
        case .int(let x):
            if x == Int.min { throw LoopError(.integerOverflow("-")) }
            return .int(-x)
        case .float(let x): return .float(-x)
        case .duration(let x): return .duration(-x)
        default: throw LoopError(.unsupportedOperand(op: "-", type: a.typeName))
        }
    }

    static func compare(_ op: BinaryOp, _ a: Value, _ b: Value) throws(LoopError) -> Bool {
        guard let c = Value.compare(a, b) else {
            if let x = a.number, let y = b.number, x.isNaN || y.isNaN { return false }
            throw LoopError(.notComparable(a.typeName, b.typeName))
        }
        switch op {
        case .less: return c < 0
        case .lessEqual: return c <= 0
        case .greater: return c > 0
        default: return c >= 0
        }
    }

    /// `needle in haystack`.
    static func contains(_ haystack: Value, _ needle: Value) throws(LoopError) -> Bool {
        switch haystack {
        case .list(let items): return items.contains { Value.equal($0, needle) }
        case .record(let r):
            guard case .string(let k) = needle else { return false }
            return r.fields[k] != nil
        case .string(let s):
            guard case .string(let sub) = needle else {
                throw LoopError(.unsupportedOperands(op: "in", lhs: needle.typeName, rhs: "String"))
            }
            return sub.isEmpty || s.contains(sub)
        case .range(let lo, let hi):
            switch needle {
            case .int(let i): return i >= lo && i < hi
            case .float(let f): return f == f.rounded() && f >= Double(lo) && f < Double(hi)
            default: return false
            }
        default:
            throw LoopError(.unsupportedOperands(op: "in", lhs: needle.typeName, rhs: haystack.typeName))
        }
    }
}
