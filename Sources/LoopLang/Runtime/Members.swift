/// Member access (`a.b`) and method dispatch (`a.f(x)`) for every kind of value.
enum Members {
    static func get(_ value: Value, _ name: String) throws(LoopError) -> Value {
        switch value {
        case .record(let r):
            if let field = r.fields[name] { return field }
            switch name {
            case "count": return .int(r.fields.count)
            case "keys": return .list(r.fields.keys.map { .string($0) })
            case "values": return .list(Array(r.fields.values))
            default:
                if BuiltinMethods.record[name] != nil { return bound(value, name) }
                throw LoopError(.missingField(name), unknown: name, among: r.fields.keys)
            }
        case .list(let items):
            switch name {
            case "count": return .int(items.count)
            case "first": return items.first ?? .nil
            case "last": return items.last ?? .nil
            default: break
            }
        case .string(let s):
            if name == "count" { return .int(s.count) }
        case .range(let lo, let hi):
            switch name {
            case "count": return .int(try Ranges.count(lo, hi))
            case "lower": return .int(lo)
            case "upper": return .int(hi)
            default: break
            }
        case .handle(let h):
            switch h.type.members[name] {
            case .property(_, let get)?: return try get(h.object)
            case .method?: return bound(value, name)
            case nil: break
            }
        default:
            break
        }
        if BuiltinMethods.table(for: value)?[name] != nil { return bound(value, name) }
        throw LoopError(.noMember(type: value.typeName, member: name), unknown: name, among: names(of: value))
    }

    /// `xs.map` without a call: a function that calls the method on `xs`.
    static func bound(_ receiver: Value, _ name: String) -> Value {
        .function(NativeFunction(name, [], variadic: true, acceptsExtraNamed: true, doc: "\(receiver.typeName).\(name), bound to its receiver") { call throws(LoopError) in
            try Members.callMethod(receiver, name, call.rest, call.extraNamed, uniform: nil, base: nil,
                                   rt: call.interpreter.runtime, callSite: nil)
        })
    }

    static func callMethod(_ receiver: Value, _ name: String, _ args: [Value], _ named: [(String, Value)],
                           uniform: CodeRef?, base: Frame?, rt: Runtime, callSite: SourceSpan?) throws(LoopError) -> Value {
        switch receiver {
        case .record(let r):
            if let field = r.fields[name] { return try rt.call(field, args, named: named, callSite: callSite) }
        case .handle(let h):
            switch h.type.members[name] {
            case .method(let m)?: return try rt.callNative(m, args, named: named, receiver: receiver, callSite: callSite)
            case .property(_, let get)?:
                let value: Value
                do throws(LoopError) { value = try get(h.object) } catch { throw error.located(callSite) }
                return try rt.call(value, args, named: named, callSite: callSite)
            case nil: break
            }
        default: break
        }
        if let method = BuiltinMethods.table(for: receiver)?[name] {
            return try rt.callNative(method, args, named: named, receiver: receiver, callSite: callSite)
        }
        if let uniform, let base {
            let f = try uniform.run(base)
            return try rt.call(f, [receiver] + args, named: named, callSite: callSite)
        }
        throw LoopError(.noMember(type: receiver.typeName, member: name), at: callSite, unknown: name, among: names(of: receiver))
    }

    /// Names for completion after `value.`.
    static func names(of value: Value) -> [String] {
        var names: [String] = []
        switch value {
        case .record(let r): names = Array(r.fields.keys) + ["count", "keys", "values"]
        case .list: names = ["count", "first", "last"]
        case .string: names = ["count"]
        case .range: names = ["count", "lower", "upper"]
        case .handle(let h): names = h.type.members.keys.sorted()
        default: break
        }
        names += (BuiltinMethods.table(for: value)?.keys.sorted() ?? [])
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

/// Reading `a[i]`: lists and strings by Int (negative from the end) or by range, records by key.
enum Indexing {
    static func normalize(_ i: Int, count: Int) throws(LoopError) -> Int {
        let j = i < 0 ? i + count : i
        guard j >= 0, j < count else { throw LoopError(.indexOutOfRange(index: i, count: count)) }
        return j
    }

    static func slice(_ lo: Int, _ hi: Int, count: Int) throws(LoopError) -> Range<Int> {
        guard lo >= 0, hi <= count, lo <= hi else {
            throw LoopError(.invalidValue("range \(lo)..<\(hi) out of bounds for length \(count)"))
        }
        return lo..<hi
    }

    static func get(_ container: Value, _ index: Value) throws(LoopError) -> Value {
        switch (container, index) {
        case (.list(let items), .int(let i)): return items[try normalize(i, count: items.count)]
        case (.list(let items), .range(let lo, let hi)): return .list(Array(items[try slice(lo, hi, count: items.count)]))
        case (.string(let s), .int(let i)):
            let chars = Array(s)
            return .string(String(chars[try normalize(i, count: chars.count)]))
        case (.string(let s), .range(let lo, let hi)):
            let chars = Array(s)
            return .string(String(chars[try slice(lo, hi, count: chars.count)]))
        case (.record(let r), .string(let k)):
            guard let v = r.fields[k] else { throw LoopError(.missingField(k), unknown: k, among: r.fields.keys) }
            return v
        case (.range(let lo, let hi), .int(let i)): return .int(lo + (try normalize(i, count: try Ranges.count(lo, hi))))
        default:
            throw LoopError(.badIndex(container: container.typeName, index: index.typeName))
        }
    }
}
