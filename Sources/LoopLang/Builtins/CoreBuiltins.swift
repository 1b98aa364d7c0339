import Glibc

/// The language's own built-ins. Host-facing ones (files, clock, environment) live in LoopLab;
/// those that are plain `.loop` code live in stdlib/prelude.loop.
enum CoreBuiltins {
    /// Parameters shared by several built-ins, declared once.
    private enum P {
        static let value = Param.value("value", doc: "any value")
        static let x = Param.number("x", doc: "a number (Int or Float)")
        static let digits = Param.optionalInt("digits", doc: "decimals to keep; left out, the result is an Int")
        static let message = Param.value("message", doc: "what went wrong (printed as by print)")
        static let kind = Param.string("kind", default: "error", doc: "the error's e.kind, so a catch can tell errors apart")
        static let pretty = Param.bool("pretty", default: false, doc: "indent the JSON over several lines")
        static let text = Param.string("text", doc: "JSON text")
        static let spec = Param.string("spec", default: "", doc: "[[fill]align][sign][width][,][.precision][type], as in Python")
        static let duration = Param.value("duration", doc: "a Duration, e.g. 90s")
        static let condition = Param.value("condition", doc: "what must hold (true, or any truthy value)")
        static let note = Param.value("message", default: .string(""), doc: "said after \"assertion failed: \"")
        static let number = Param.value("x", doc: "an Int, Float or Duration")
    }

    static func register(into r: Registry) {
        r.function("print", variadic: true, doc: "Prints the values separated by spaces, then a newline.") { call in
            call.interpreter.output.write(call.rest.map(Printer.display).joined(separator: " ") + "\n")
            return .nil
        }
        r.function("str", NativeParameters.list(P.value), doc: "The value as a String, as print shows it.") { call throws(LoopError) in
            .string(Printer.display(try call[P.value]))
        }
        r.function("type", NativeParameters.list(P.value), doc: "The type name: Nil Bool Int Float Duration String List Record Function, or a handle's.") { call throws(LoopError) in
            .string(try call[P.value].typeName)
        }
        r.function("int", NativeParameters.list(P.value), doc: "An Int from a number (toward zero), a Bool or a numeric String.") { call throws(LoopError) in
            let v = try call[P.value]
            switch v {
            case .int: return v
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let f):
                guard f.isFinite, abs(f) < 9.2e18 else { throw LoopError(.invalidValue("cannot convert \(Printer.repr(v)) to Int")) }
                return .int(Int(f))
            case .string(let s):
                let t = s.trimmingSpaces
                if let i = Int(t) { return .int(i) }
                throw LoopError(.invalidValue("cannot convert \(Printer.repr(v)) to Int"))
            default: throw call.wrongType("value", expected: "a number or String", got: v)
            }
        }
        r.function("float", NativeParameters.list(P.value), doc: "A Float from a number, a Duration (seconds) or a numeric String.") { call throws(LoopError) in
            let v = try call[P.value]
            switch v {
            case .int(let i): return .float(Double(i))
            case .float: return v
            case .duration(let d): return .float(d)
            case .bool(let b): return .float(b ? 1 : 0)
            case .string(let s):
                if let f = Double(s.trimmingSpaces) { return .float(f) }
                throw LoopError(.invalidValue("cannot convert \(Printer.repr(v)) to Float"))
            default: throw call.wrongType("value", expected: "a number or String", got: v)
            }
        }
        r.function("len", NativeParameters.list(P.value), doc: "The number of items of a List, characters of a String or fields of a Record.") { call throws(LoopError) in
            let v = try call[P.value]
            switch v {
            case .list(let l): return .int(l.count)
            case .string(let s): return .int(s.count)
            case .record(let rec): return .int(rec.fields.count)
            case .range(let lo, let hi): return .int(try Ranges.count(lo, hi))
            default: throw call.wrongType(P.value.name, expected: "a List, String or Record", got: v)
            }
        }
        r.function("fmt", NativeParameters.list(P.value, P.spec),
                   doc: "The value formatted by a spec as in Python: fmt(x, \".4f\"), fmt(x, \">8\"), fmt(n, \",d\"), fmt(p, \".1%\"), fmt(x, \".3g\"); [[fill]align][sign][width][,][.precision][type].") { call throws(LoopError) in
            .string(try FormatSpec(try call[P.spec]).format(try call[P.value]))
        }
        registerAggregates(r)
        registerMath(r)
        r.function("seconds", NativeParameters.list(P.duration), doc: "A Duration as a Float number of seconds.") { call throws(LoopError) in
            let v = try call[P.duration]
            guard case .duration(let d) = v else { throw call.wrongType(P.duration.name, expected: "a Duration", got: v) }
            return .float(d)
        }
        r.function("assert", NativeParameters.list(P.condition, P.note), doc: "Raises \"assertion failed: message\" unless the condition is true.") { call throws(LoopError) in
            if try call[P.condition].isTruthy { return .nil }
            throw LoopError(.assertionFailed(Printer.display(try call[P.note])))
        }
        r.function("error", NativeParameters.list(P.message, P.kind),
                   doc: "Raises an error with this message (catch it with try/catch); `kind:` sets e.kind.") { call throws(LoopError) in
            let kind = try call[P.kind]
            let message = Printer.display(try call[P.message])
            if kind == "error" { throw LoopError(.raised(message)) }
            throw LoopError(.raisedKind(kind: kind, message: message))
        }
        r.function("json", NativeParameters.list(P.value, P.pretty), doc: "The value as JSON text (compact, or indented with pretty: true).") { call throws(LoopError) in
            .string(try JSON.encode(try call[P.value], pretty: try call[P.pretty]))
        }
        r.function("parse_json", NativeParameters.list(P.text), doc: "A value from JSON text: null is nil, integers Int, other numbers Float.") { call throws(LoopError) in
            try JSON.decode(try call[P.text])
        }
    }

    static func numbers(_ call: NativeCall) throws(LoopError) -> [Value] {
        // `min(xs)` takes a list; `min(a, b, ...)` takes several arguments.
        if call.rest.count == 1, case .list(let l) = call.rest[0] { return l }
        return call.rest
    }

    static func registerAggregates(_ r: Registry) {
        for (name, wantLess) in [("min", true), ("max", false)] {
            r.function(name, variadic: true, doc: "The \(wantLess ? "smallest" : "largest") of a list or of several arguments.") { call throws(LoopError) in
                // A range's extremes are its ends: no need to build it.
                if call.rest.count == 1, case .range(let lo, let hi) = call.rest[0] {
                    guard try Ranges.count(lo, hi) > 0 else { throw LoopError(.invalidValue("\(name)() of an empty list")) }
                    return .int(wantLess ? lo : hi - 1)
                }
                let items = try numbers(call)
                guard var best = items.first else { throw LoopError(.invalidValue("\(name)() of an empty list")) }
                for item in items.dropFirst() {
                    guard let c = Value.compare(item, best) else { throw LoopError(.notComparable(item.typeName, best.typeName)) }
                    if wantLess ? c < 0 : c > 0 { best = item }
                }
                return best
            }
        }
        r.function("sum", variadic: true, doc: "The sum of a list (Int when all items are Int).") { call throws(LoopError) in
            if call.rest.count == 1, case .range(let lo, let hi) = call.rest[0] { return .int(try Ranges.sum(lo, hi)) }
            var total = Value.int(0)
            for item in try numbers(call) { total = try Arithmetic.add(total, item) }
            return total
        }
    }

    static func registerMath(_ r: Registry) {
        r.function("abs", NativeParameters.list(P.number), doc: "Absolute value; keeps the type.") { call throws(LoopError) in
            let v = try call[P.number]
            switch v {
            case .int(let i):
                if i == Int.min { throw LoopError(.integerOverflow("abs")) }
                return .int(Swift.abs(i))
            case .float(let f): return .float(Swift.abs(f))
            case .duration(let d): return .duration(Swift.abs(d))
            default: throw call.wrongType(P.number.name, expected: "a number", got: v)
            }
        }
        let unary: [(String, (Double) -> Double, String)] = [
            ("sqrt", { $0.squareRoot() }, "Square root."), ("exp", { Glibc.exp($0) }, "e to the power x."),
            ("log", { Glibc.log($0) }, "Natural logarithm."), ("log10", { Glibc.log10($0) }, "Base-10 logarithm."),
            ("sin", { Glibc.sin($0) }, "Sine (radians)."), ("cos", { Glibc.cos($0) }, "Cosine (radians)."),
            ("tan", { Glibc.tan($0) }, "Tangent (radians)."),
        ]
        for (name, f, doc) in unary {
            r.function(name, NativeParameters.list(P.x), doc: doc + " Gives a Float.") { call throws(LoopError) in
                let x = try call[P.x]
                if (name == "log" || name == "log10") && x <= 0 { throw LoopError(.invalidValue("\(name)() of a non-positive number")) }
                if name == "sqrt" && x < 0 { throw LoopError(.invalidValue("sqrt() of a negative number")) }
                return .float(f(x))
            }
        }
        r.function("round", NativeParameters.list(P.x, P.digits), doc: "Rounds half away from zero: an Int, or a Float with `digits` decimals.") { call throws(LoopError) in
            let x = try call[P.x]
            guard let digits = try call[P.digits] else { return try toInt(x.rounded(), "round") }
            let scale = Glibc.pow(10, Double(digits))
            return .float((x * scale).rounded() / scale)
        }
        r.function("floor", NativeParameters.list(P.x), doc: "The largest Int not above x.") { call throws(LoopError) in
            try toInt(try call[P.x].rounded(.down), "floor")
        }
        r.function("ceil", NativeParameters.list(P.x), doc: "The smallest Int not below x.") { call throws(LoopError) in
            try toInt(try call[P.x].rounded(.up), "ceil")
        }
        r.function("is_nan", NativeParameters.list(P.x), doc: "Whether x is NaN (not a number): a diverged loss, inf - inf. false for Ints.") { call throws(LoopError) in
            .bool(try call[P.x].isNaN)
        }
        r.function("is_finite", NativeParameters.list(P.x), doc: "Whether x is neither NaN nor infinite. true for Ints.") { call throws(LoopError) in
            .bool(try call[P.x].isFinite)
        }
        r.constant("pi", .float(Double.pi), doc: "π as a Float.")
        r.constant("inf", .float(Double.infinity), doc: "Positive infinity as a Float.")
    }

    static func toInt(_ d: Double, _ name: String) throws(LoopError) -> Value {
        guard d.isFinite, Swift.abs(d) < 9.2e18 else { throw LoopError(.invalidValue("\(name)() result \(d) does not fit in an Int")) }
        return .int(Int(d))
    }
}

extension String {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
