import Glibc
import LoopLang
import LoopSupport
import LoopTrain

/// `load_csv`, `load_text`, `dataset` and `split`: getting data into Dataset handles.
enum DataPrimitives {
    private enum P {
        static let path = Param.string("path", doc: "the file to read")
        static let target = Param.string("target", default: "label", doc: "the label column's name")
        static let text = Param.string("text", doc: "the text to learn from")
    }

    static func register(into registry: Registry) {
        registry.function(
            "load_csv", NativeParameters.list(P.path, P.target),
            doc: "A table from a CSV file with a header; `target` names the label column (integers or strings: classification; fractions: regression)."
        ) { call throws(LoopError) in
            let path = try call[P.path]
            let target = try call[P.target]
            let text: String
            do throws(POSIXFiles.Failure) { text = try POSIXFiles.readText(path) } catch {
                throw FilePrimitives.ioError("load_csv: cannot read '\(path)': \(error.reason)")
            }
            do {
                var data = try CSV.parse(text, target: target, file: path)
                data.targetName = target
                noteRegressionOnIntegers(data, target: target, file: path)
                return TrainingTypes.handle(DataBox(.table(data), origin: baseName(path)))
            } catch let error as DataError {
                throw dataError("load_csv", error.description)
            } catch {
                throw dataError("load_csv", "\(path): \(error)")
            }
        }

        registry.function(
            "load_text", NativeParameters.list(P.path),
            doc: "A text file as character tokens (the vocabulary is its distinct characters), for gpt models."
        ) { call throws(LoopError) in
            let path = try call[P.path]
            let text: String
            do throws(POSIXFiles.Failure) { text = try POSIXFiles.readText(path) } catch {
                throw FilePrimitives.ioError("load_text: cannot read '\(path)': \(error.reason)")
            }
            guard !text.isEmpty else { throw dataError("load_text", "'\(path)' is empty") }
            return TrainingTypes.handle(textData(text, origin: baseName(path)))
        }

        registry.function(
            "text_data", NativeParameters.list(P.text),
            doc: "A String as character tokens, like load_text without a file."
        ) { call throws(LoopError) in
            let text = try call[P.text]
            guard !text.isEmpty else { throw trainError("text_data", "the text is empty") }
            return TrainingTypes.handle(textData(text, origin: "text"))
        }

        registry.function(
            "dataset", DatasetParameters.list,
            doc: "A built-in dataset: \"spirals\", \"moons\", \"blobs\", \"xor\" (classification), \"sine\" (regression), \"words\" (text)."
        ) { call throws(LoopError) in
            try builtin(call)
        }

        registry.function(
            "split", SplitParameters.list,
            doc: "Splits a dataset into {train, val, test} by fractions (seeded, stratified); tables are standardised with statistics of the train part only."
        ) { call throws(LoopError) in
            try split(call)
        }
    }

    /// Integer targets too large to be classes 0...max make a regression: say so on stderr, since
    /// the same column with smaller values would have been classes.
    static func noteRegressionOnIntegers(_ data: Dataset, target: String, file: String) {
        guard data.task == .regression else { return }
        let values = data.targets.scalars
        guard !values.isEmpty, values.allSatisfy({ $0 == $0.rounded() }), let low = values.min(), let high = values.max() else { return }
        func whole(_ x: Float) -> String { abs(x) < 9e18 ? String(Int(x)) : "\(x)" }
        let line = "load_csv: note: \(file): target '\(target)' holds whole numbers from \(whole(low)) to \(whole(high)); "
            + "only 0 to 999999 are read as classes, so the task is regression\n"
        _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
    }

    static func textData(_ text: String, origin: String) -> DataBox {
        let vocabulary = CharVocabulary(text: text)
        return DataBox(.text(tokens: vocabulary.encode(text), vocabulary: vocabulary), origin: origin)
    }

    /// `dataset`'s parameters, each declared once (see `Param`).
    enum DatasetParameters {
        static let name = Param.string("name", doc: "spirals, moons, blobs, xor (classification), sine (regression) or words (text)")
        static let n = Param.optionalInt("n", doc: "rows (words: how many words); each dataset has its own default")
        static let noise = Param.optionalNumber("noise", doc: "how much the points scatter; each dataset has its own default")
        static let seed = Param.int("seed", default: 0, doc: "fixes the data")
        static let classes = Param.optionalInt("classes", doc: "classes (spirals, blobs)")
        static let features = Param.optionalInt("features", doc: "features (blobs)")
        static let list = NativeParameters.list(name, n, noise, seed, classes, features)
    }

    /// `split`'s parameters, each declared once (see `Param`).
    enum SplitParameters {
        static let data = Param.dataset(doc: "the Dataset to split")
        static let train = Param.number("train", default: 0.8, doc: "the fraction for training (> 0)")
        static let val = Param.number("val", default: 0.1, doc: "the fraction for validation")
        static let test = Param.number("test", default: 0.1, doc: "the fraction held out for final_eval")
        static let seed = Param.int("seed", default: 0, doc: "the shuffle (tables are stratified by class)")
        static let standardize = Param.bool("standardize", default: true, doc: "scale table features by the train part's mean and deviation")
        static let list = NativeParameters.list(data, train, val, test, seed, standardize)
    }

    static func builtin(_ call: NativeCall) throws(LoopError) -> Value {
        typealias P = DatasetParameters
        let name = try call[P.name]
        let seed = UInt64(truncatingIfNeeded: try call[P.seed])
        let n = try call[P.n]
        let noise = try call[P.noise].map(Float.init)
        let classes = try call[P.classes]
        if let n, n < 1 { throw trainError("dataset", "n must be at least 1, got \(n)") }
        let features = try call[P.features]
        if let classes, classes < 1 { throw trainError("dataset", "classes must be at least 1, got \(classes)") }
        if let features, features < 1 { throw trainError("dataset", "features must be at least 1, got \(features)") }
        // Rows of features and a target (spirals makes at least one row per class) and the class
        // centres, as Floats, before any is generated.
        let rows = max(Double(n ?? 300), Double(classes ?? 1)), columns = Double(features ?? 2)
        if let exceeded = MemoryBudget.check(bytes: (rows * (columns + 1) + Double(classes ?? 3) * columns) * 4 * 2) {
            throw LoopError(.outOfMemory(what: "dataset(\"\(name)\", n: \(n ?? 300), classes: \(classes ?? 3), features: \(features ?? 2))",
                                         needed: exceeded.needed, available: exceeded.available))
        }
        let data: Dataset
        switch name {
        case "spirals":
            let k = classes ?? 3
            data = SyntheticData.spirals(perClass: max(1, (n ?? 300) / k), classes: k, noise: noise ?? 0.2, seed: seed)
        case "moons": data = SyntheticData.moons(count: n ?? 200, noise: noise ?? 0.1, seed: seed)
        case "blobs":
            data = SyntheticData.blobs(count: n ?? 300, centers: classes ?? 3, features: features ?? 2,
                                       std: noise ?? 1, seed: seed)
        case "xor": data = SyntheticData.xor(count: n ?? 200, noise: noise ?? 0.05, seed: seed)
        case "sine": data = SyntheticData.sine(count: n ?? 200, noise: noise ?? 0.1, seed: seed)
        case "words": return try words(count: n, seed: seed)
        default:
            throw trainError("dataset", "unknown dataset '\(name)' (known: spirals, moons, blobs, xor, sine, words)")
        }
        return TrainingTypes.handle(DataBox(.table(data), origin: name))
    }

    /// The system word list (Debian's `wamerican`), one word per line; with `count`, that many
    /// words drawn at random (seeded) so train and validation parts are alike.
    static func words(count: Int?, seed: UInt64) throws(LoopError) -> Value {
        let text: String
        do throws(POSIXFiles.Failure) { text = try POSIXFiles.readText(TextData.wordsPath) } catch {
            throw trainError("dataset", "\"words\" needs \(TextData.wordsPath) (apt-get install wamerican): \(error.reason)")
        }
        var list = text.split(separator: "\n")
        var rng = SeededRandom(seed: seed)
        list.seededShuffle(using: &rng)
        if let count { list = Array(list.prefix(count)) }
        return TrainingTypes.handle(textData(list.joined(separator: "\n") + "\n", origin: "words"))
    }

    static func split(_ call: NativeCall) throws(LoopError) -> Value {
        typealias P = SplitParameters
        let box = try call[P.data]
        let fractions = (train: try call[P.train], val: try call[P.val], test: try call[P.test])
        guard fractions.train > 0, fractions.val >= 0, fractions.test >= 0 else {
            throw trainError("split", "fractions must be non-negative with train > 0, got train \(fractions.train), val \(fractions.val), test \(fractions.test)")
        }
        let seed = UInt64(truncatingIfNeeded: try call[P.seed])
        switch box.content {
        case .table(let data):
            let parts = data.split(train: fractions.train, validation: fractions.val, test: fractions.test, seed: seed)
            let scaler = try call[P.standardize] ? Standardizer(fitting: parts.train.features) : nil
            func wrap(_ d: Dataset, _ part: String) -> Value {
                TrainingTypes.handle(DataBox(.table(scaler.map { d.standardized(by: $0) } ?? d),
                                             origin: "\(box.origin) \(part)", standardizer: scaler, isHoldout: part == "test"))
            }
            return .record(["train": wrap(parts.train, "train"), "val": wrap(parts.validation, "val"),
                            "test": wrap(parts.test, "test")])
        case .text(let tokens, let vocabulary):
            // Contiguous parts (train, then val, then test), as nanoGPT splits text, so no
            // validation window overlaps training text.
            let total = fractions.train + fractions.val + fractions.test
            let a = Int(Double(tokens.count) * fractions.train / total)
            let b = a + Int(Double(tokens.count) * fractions.val / total)
            func wrap(_ range: Range<Int>, _ part: String) -> Value {
                TrainingTypes.handle(DataBox(.text(tokens: Array(tokens[range]), vocabulary: vocabulary), origin: "\(box.origin) \(part)",
                                             isHoldout: part == "test"))
            }
            return .record(["train": wrap(0..<a, "train"), "val": wrap(a..<b, "val"), "test": wrap(b..<tokens.count, "test")])
        }
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
