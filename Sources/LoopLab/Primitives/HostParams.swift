import LoopLang

/// Parameter kinds of Looplab's own values, read through `Param` like the language's: each
/// checks the argument once, with an error that names the primitive and what was given.
extension Param where T == ModelBox {
    static func model(_ name: String = "model", doc: String = "a Model (from mlp, seq, gpt or load_model)") -> Param {
        Param<Value>.value(name, doc: doc).map { v, call, name throws(LoopError) in
            try TrainingArguments.model(v, function: call.function.name, parameter: name)
        }
    }
}

extension Param where T == DataBox {
    static func dataset(_ name: String = "data", doc: String = "a Dataset (from load_csv, load_text, dataset or split)") -> Param {
        Param<Value>.value(name, doc: doc).map { v, call, name throws(LoopError) in
            try TrainingArguments.dataset(v, function: call.function.name, parameter: name, variable: call.argumentName(name))
        }
    }
}

extension Param where T == TrialBox {
    static func trial(_ name: String = "trial", doc: String = "a running Trial (the loop variable of `for t in study`)") -> Param {
        Param<Value>.value(name, doc: doc).map { v, call, _ throws(LoopError) in
            guard case .handle(let h) = v, let box = h.object as? TrialBox else {
                throw researchError("\(call.function.name): expected a Trial (the loop variable of `for t in study`), got \(v.typeName)")
            }
            return box
        }
    }
}

/// A study as a primitive may be given one: the open Study, or a stored study's name.
enum StudyArgument {
    case open(StudyBox)
    case named(String)

    var name: String {
        switch self {
        case .open(let box): box.name
        case .named(let name): name
        }
    }
}

extension Param where T == StudyArgument {
    static func study(_ name: String = "study", doc: String = "a Study, or a stored study's name") -> Param {
        Param<Value>.value(name, doc: doc).map { v, call, _ throws(LoopError) in
            switch v {
            case .handle(let h) where h.object is StudyBox: return .open(h.object as! StudyBox)
            case .string(let s): return .named(s)
            default: throw researchError("\(call.function.name): expected a Study or a study's name, got \(v.typeName)")
            }
        }
    }
}

extension Param where T == [String] {
    /// A List of Strings (tags, column names).
    static func strings(_ name: String, default value: [String]? = nil, doc: String) -> Param {
        Param<[Value]>.list(name, default: value.map { $0.map { .string($0) } }, doc: doc).map { items, call, name throws(LoopError) in
            try strings(items, call, name)
        }
    }

    fileprivate static func strings(_ items: [Value], _ call: NativeCall, _ name: String) throws(LoopError) -> [String] {
        var strings: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw call.wrongType(name, expected: "a List of Strings", got: item) }
            strings.append(s)
        }
        return strings
    }
}

extension Param where T == [String]? {
    static func optionalStrings(_ name: String, doc: String) -> Param {
        Param<Value>.optional(name, doc: doc).map { v, call, name throws(LoopError) in
            switch v {
            case .nil: return nil
            case .list(let items): return try Param<[String]>.strings(items, call, name)
            default: throw call.wrongType(name, expected: "a List of Strings", got: v)
            }
        }
    }
}
