import Glibc

/// Methods of the built-in types, as native functions whose receiver is `call.receiver`.
enum BuiltinMethods {
    /// List methods that change the list: on a `var` path they change the variable.
    static let mutatingNames: Set<String> = ["append", "extend", "pop", "insert", "remove"]

    /// Parameters read by name, declared once.
    private enum P {
        static let item = Param.value("item", doc: "the item to add")
        static let sought = Param.value("item", doc: "the item to look for (compared with ==)")
        static let f = Param.value("f", doc: "a function of one item")
        static let combine = Param.value("f", doc: "a function (accumulated, item) -> accumulated")
        static let initial = Param.value("initial", doc: "the value to start from")
        static let other = Param.value("other", doc: "a Record whose fields are added")
        static let items = Param.list("items", doc: "a List whose items are added")
        static let at = Param.int("at", doc: "an index; negative counts from the end")
        static let by = Param.optional("by", doc: "a less-than function (a, b) -> Bool; left out, items are compared")
        static let joiner = Param.string("separator", default: "", doc: "put between items")
        static let separator = Param.optionalString("separator", doc: "where to split; left out, runs of whitespace")
        static let prefix = Param.string("prefix", doc: "the text the string should start with")
        static let suffix = Param.string("suffix", doc: "the text the string should end with")
        static let old = Param.string("old", doc: "the text to replace (not empty)")
        static let new = Param.string("new", doc: "what replaces it")
        static let substring = Param.string("substring", doc: "the text to look for")
        static let key = Param.string("key", doc: "a field name")
        static let fallback = Param.value("default", default: .nil, doc: "what get gives when the field is missing")
    }

    static func table(for value: Value) -> [String: NativeFunction]? {
        switch value {
        case .list: return list
        case .string: return string
        case .record: return record
        default: return nil
        }
    }

    private static func method(_ name: String, _ params: [NativeParameter] = [], doc: String,
                               _ body: @escaping (inout NativeCall) throws(LoopError) -> Value) -> (String, NativeFunction) {
        (name, NativeFunction(name, params, doc: doc, body: body))
    }

    static func items(_ call: NativeCall) -> [Value] {
        if case .list(let l) = call.receiver { return l }
        return []
    }

    static func text(_ call: NativeCall) -> String {
        if case .string(let s) = call.receiver { return s }
        return ""
    }

    static func fields(_ call: NativeCall) -> OrderedFields {
        if case .record(let r) = call.receiver { return r.fields }
        return [:]
    }

    static let list: [String: NativeFunction] = Dictionary(uniqueKeysWithValues: [
        method("append", NativeParameters.list(P.item), doc: "Adds an item at the end (changes the list).") { call throws(LoopError) in
            let item = try call[P.item]
            _ = call.receiver.withList { $0.append(item) }
            return .nil
        },
        method("extend", NativeParameters.list(P.items), doc: "Adds all items of another list at the end.") { call throws(LoopError) in
            let more = try call[P.items]
            _ = call.receiver.withList { $0.append(contentsOf: more) }
            return .nil
        },
        method("pop", doc: "Removes and returns the last item.") { call throws(LoopError) in
            guard !items(call).isEmpty else { throw LoopError(.invalidValue("pop() from an empty list")) }
            return call.receiver.withList { $0.removeLast() } ?? .nil
        },
        method("insert", NativeParameters.list(P.item, P.at), doc: "Inserts an item before index `at`.") { call throws(LoopError) in
            let count = items(call).count
            let at = try call[P.at]
            let i = at < 0 ? at + count : at
            guard i >= 0, i <= count else { throw LoopError(.indexOutOfRange(index: at, count: count)) }
            let item = try call[P.item]
            _ = call.receiver.withList { $0.insert(item, at: i) }
            return .nil
        },
        method("remove", NativeParameters.list(P.at), doc: "Removes and returns the item at index `at`.") { call throws(LoopError) in
            let i = try Indexing.normalize(try call[P.at], count: items(call).count)
            return call.receiver.withList { $0.remove(at: i) } ?? .nil
        },
        method("map", NativeParameters.list(P.f), doc: "A new list of f(item) for each item.") { call throws(LoopError) in
            let f = try call[P.f]
            var out: [Value] = []
            for item in items(call) { out.append(try call.call(f, [item])) }
            return .list(out)
        },
        method("filter", NativeParameters.list(P.f), doc: "The items for which f(item) is true.") { call throws(LoopError) in
            let f = try call[P.f]
            var out: [Value] = []
            for item in items(call) where try call.call(f, [item]).isTruthy { out.append(item) }
            return .list(out)
        },
        method("reduce", NativeParameters.list(P.initial, P.combine), doc: "Folds the list: f(f(initial, a), b)...") { call throws(LoopError) in
            var acc = try call[P.initial]
            let f = try call[P.combine]
            for item in items(call) { acc = try call.call(f, [acc, item]) }
            return acc
        },
        method("sorted", NativeParameters.list(P.by), doc: "A sorted copy; `by:` is a less-than function (a, b) -> Bool.") { call throws(LoopError) in
            try sort(items(call), by: try call[P.by], call)
        },
        method("reversed", doc: "A reversed copy.") { call in .list(items(call).reversed()) },
        method("enumerated", doc: "[[0, first], [1, second], ...], for `for i, x in xs.enumerated()`.") { call in
            .list(items(call).enumerated().map { .list([.int($0.offset), $0.element]) })
        },
        method("contains", NativeParameters.list(P.sought), doc: "Whether an item equal to `item` is in the list.") { call throws(LoopError) in
            let x = try call[P.sought]
            return .bool(items(call).contains { Value.equal($0, x) })
        },
        method("index", NativeParameters.list(P.sought), doc: "The index of the first item equal to `item`, or nil.") { call throws(LoopError) in
            let x = try call[P.sought]
            return items(call).firstIndex { Value.equal($0, x) }.map { .int($0) } ?? .nil
        },
        method("join", NativeParameters.list(P.joiner), doc: "Joins items (strings, or others printed) with a separator.") { call throws(LoopError) in
            let sep = try call[P.joiner]
            return .string(items(call).map { Printer.display($0) }.joined(separator: sep))
        },
    ])

    static func sort(_ items: [Value], by: Value, _ call: NativeCall) throws(LoopError) -> Value {
        var failure: LoopError? = nil
        let sorted: [Value]
        if case .nil = by {
            sorted = items.sorted { a, b in
                if failure != nil { return false }
                guard let c = Value.compare(a, b) else {
                    failure = LoopError(.notComparable(a.typeName, b.typeName))
                    return false
                }
                return c < 0
            }
        } else {
            sorted = items.sorted { a, b in
                if failure != nil { return false }
                do throws(LoopError) { return try call.call(by, [a, b]).isTruthy } catch {
                    failure = error
                    return false
                }
            }
        }
        if let failure { throw failure }
        return .list(sorted)
    }

    static let string: [String: NativeFunction] = Dictionary(uniqueKeysWithValues: [
        method("split", NativeParameters.list(P.separator), doc: "Splits on a separator (default: runs of whitespace).") { call throws(LoopError) in
            let s = text(call)
            guard let sep = try call[P.separator] else {
                return .list(s.split(whereSeparator: isSpace).map { .string(String($0)) })
            }
            guard !sep.isEmpty else { throw LoopError(.invalidValue("split() separator must not be empty")) }
            return .list(s.split(separator: sep, omittingEmptySubsequences: false).map { .string(String($0)) })
        },
        method("trim", doc: "Without leading and trailing whitespace.") { call in
            .string(String(text(call).drop(while: isSpace).reversed().drop(while: isSpace).reversed()))
        },
        method("trim_end", doc: "Without trailing whitespace.") { call in
            .string(String(text(call).reversed().drop(while: isSpace).reversed()))
        },
        method("upper", doc: "Upper-cased.") { call in .string(text(call).uppercased()) },
        method("lower", doc: "Lower-cased.") { call in .string(text(call).lowercased()) },
        method("starts_with", NativeParameters.list(P.prefix), doc: "Whether the string starts with `prefix`.") { call throws(LoopError) in
            .bool(text(call).hasPrefix(try call[P.prefix]))
        },
        method("ends_with", NativeParameters.list(P.suffix), doc: "Whether the string ends with `suffix`.") { call throws(LoopError) in
            .bool(text(call).hasSuffix(try call[P.suffix]))
        },
        method("replace", NativeParameters.list(P.old, P.new), doc: "Every `old` replaced by `new`.") { call throws(LoopError) in
            let old = try call[P.old], new = try call[P.new]
            guard !old.isEmpty else { throw LoopError(.invalidValue("replace() needs a non-empty string to replace")) }
            return .string(text(call).split(separator: old, omittingEmptySubsequences: false).joined(separator: new))
        },
        method("contains", NativeParameters.list(P.substring), doc: "Whether `substring` occurs in the string.") { call throws(LoopError) in
            let sub = try call[P.substring]
            return .bool(sub.isEmpty || text(call).contains(sub))
        },
    ])

    static let record: [String: NativeFunction] = Dictionary(uniqueKeysWithValues: [
        method("has", NativeParameters.list(P.key), doc: "Whether the record has the field `key`.") { call throws(LoopError) in
            .bool(fields(call)[try call[P.key]] != nil)
        },
        method("get", NativeParameters.list(P.key, P.fallback), doc: "The field `key`, or `default` when it is missing.") { call throws(LoopError) in
            let fallback = try call[P.fallback]
            return fields(call)[try call[P.key]] ?? fallback
        },
        method("merge", NativeParameters.list(P.other), doc: "A new record with the other record's fields added (its values win).") { call throws(LoopError) in
            let given = try call[P.other]
            guard case .record(let other) = given else { throw call.wrongType(P.other.name, expected: "a Record", got: given) }
            var f = fields(call)
            for (k, v) in other.fields { f[k] = v }
            return .record(Record(f))
        },
        method("removing", NativeParameters.list(P.key), doc: "A new record without the field `key`.") { call throws(LoopError) in
            var f = fields(call)
            f.removeValue(forKey: try call[P.key])
            return .record(Record(f))
        },
    ])
}

/// What `trim` and `trim_end` remove and `split` splits on by default.
private func isSpace(_ c: Character) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" }
