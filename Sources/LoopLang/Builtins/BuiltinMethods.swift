import Glibc

/// Methods of the built-in types, as native functions whose receiver is `call.receiver`.
enum BuiltinMethods {
    /// List methods that change the list: on a `var` path they change the variable.
    static let mutatingNames: Set<String> = ["append", "extend", "pop", "insert", "remove"]

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
        method("append", [NativeParameter("item")], doc: "Adds an item at the end (changes the list).") { call throws(LoopError) in
            let item = call.arguments[0]
            _ = call.receiver.withList { $0.append(item) }
            return .nil
        },
        method("extend", [NativeParameter("items")], doc: "Adds all items of another list at the end.") { call throws(LoopError) in
            let more = try call.list("items")
            _ = call.receiver.withList { $0.append(contentsOf: more) }
            return .nil
        },
        method("pop", doc: "Removes and returns the last item.") { call throws(LoopError) in
            guard !items(call).isEmpty else { throw LoopError(.invalidValue("pop() from an empty list")) }
            return call.receiver.withList { $0.removeLast() } ?? .nil
        },
        method("insert", [NativeParameter("item"), NativeParameter("at")], doc: "Inserts an item before index `at`.") { call throws(LoopError) in
            let count = items(call).count
            var i = try call.int("at")
            if i < 0 { i += count }
            guard i >= 0, i <= count else { throw LoopError(.indexOutOfRange(index: try call.int("at"), count: count)) }
            let item = call.arguments[0]
            _ = call.receiver.withList { $0.insert(item, at: i) }
            return .nil
        },
        method("remove", [NativeParameter("at")], doc: "Removes and returns the item at index `at`.") { call throws(LoopError) in
            let i = try Indexing.normalize(try call.int("at"), count: items(call).count)
            return call.receiver.withList { $0.remove(at: i) } ?? .nil
        },
        method("map", [NativeParameter("f")], doc: "A new list of f(item) for each item.") { call throws(LoopError) in
            let f = call.arguments[0]
            var out: [Value] = []
            for item in items(call) { out.append(try call.call(f, [item])) }
            return .list(out)
        },
        method("filter", [NativeParameter("f")], doc: "The items for which f(item) is true.") { call throws(LoopError) in
            let f = call.arguments[0]
            var out: [Value] = []
            for item in items(call) where try call.call(f, [item]).isTruthy { out.append(item) }
            return .list(out)
        },
        method("reduce", [NativeParameter("initial"), NativeParameter("f")], doc: "Folds the list: f(f(initial, a), b)...") { call throws(LoopError) in
            var acc = call.arguments[0]
            let f = call.arguments[1]
            for item in items(call) { acc = try call.call(f, [acc, item]) }
            return acc
        },
        method("sorted", [NativeParameter.optional("by")], doc: "A sorted copy; `by:` is a less-than function (a, b) -> Bool.") { call throws(LoopError) in
            try sort(items(call), by: call.value("by"), call)
        },
        method("reversed", doc: "A reversed copy.") { call in .list(items(call).reversed()) },
        method("enumerated", doc: "[[0, first], [1, second], ...], for `for i, x in xs.enumerated()`.") { call in
            .list(items(call).enumerated().map { .list([.int($0.offset), $0.element]) })
        },
        method("contains", [NativeParameter("item")], doc: "Whether an item equal to `item` is in the list.") { call in
            let x = call.arguments[0]
            return .bool(items(call).contains { Value.equal($0, x) })
        },
        method("index", [NativeParameter("item")], doc: "The index of the first item equal to `item`, or nil.") { call in
            let x = call.arguments[0]
            return items(call).firstIndex { Value.equal($0, x) }.map { .int($0) } ?? .nil
        },
        method("join", [NativeParameter("separator", default: .string(""))], doc: "Joins items (strings, or others printed) with a separator.") { call throws(LoopError) in
            let sep = try call.string("separator")
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
        method("split", [NativeParameter.optional("separator")], doc: "Splits on a separator (default: runs of whitespace).") { call throws(LoopError) in
            let s = text(call)
            if case .nil = call.arguments[0] {
                return .list(s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map { .string(String($0)) })
            }
            let sep = try call.string("separator")
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
        method("starts_with", [NativeParameter("prefix")], doc: "Whether the string starts with `prefix`.") { call throws(LoopError) in
            .bool(text(call).hasPrefix(try call.string("prefix")))
        },
        method("ends_with", [NativeParameter("suffix")], doc: "Whether the string ends with `suffix`.") { call throws(LoopError) in
            .bool(text(call).hasSuffix(try call.string("suffix")))
        },
        method("replace", [NativeParameter("old"), NativeParameter("new")], doc: "Every `old` replaced by `new`.") { call throws(LoopError) in
            let old = try call.string("old"), new = try call.string("new")
            guard !old.isEmpty else { throw LoopError(.invalidValue("replace() needs a non-empty string to replace")) }
            return .string(text(call).split(separator: old, omittingEmptySubsequences: false).joined(separator: new))
        },
        method("contains", [NativeParameter("substring")], doc: "Whether `substring` occurs in the string.") { call throws(LoopError) in
            let sub = try call.string("substring")
            return .bool(sub.isEmpty || text(call).contains(sub))
        },
    ])

    static let record: [String: NativeFunction] = Dictionary(uniqueKeysWithValues: [
        method("has", [NativeParameter("key")], doc: "Whether the record has the field `key`.") { call throws(LoopError) in
            .bool(fields(call)[try call.string("key")] != nil)
        },
        method("get", [NativeParameter("key"), NativeParameter("default", default: .nil)], doc: "The field `key`, or `default` when it is missing.") { call throws(LoopError) in
            fields(call)[try call.string("key")] ?? call.arguments[1]
        },
        method("merge", [NativeParameter("other")], doc: "A new record with the other record's fields added (its values win).") { call throws(LoopError) in
            guard case .record(let other) = call.arguments[0] else { throw call.wrongType("other", expected: "a Record", got: call.arguments[0]) }
            var f = fields(call)
            for (k, v) in other.fields { f[k] = v }
            return .record(Record(f))
        },
        method("removing", [NativeParameter("key")], doc: "A new record without the field `key`.") { call throws(LoopError) in
            var f = fields(call)
            f.removeValue(forKey: try call.string("key"))
            return .record(Record(f))
        },
    ])
}

/// What `trim` and `trim_end` remove.
private func isSpace(_ c: Character) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" }
