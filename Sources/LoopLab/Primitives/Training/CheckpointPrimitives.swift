import Foundation
import LoopLang
import LoopTrain

/// `save(model, path)` and `load_model(path)`: safetensors checkpoints that also carry what the
/// model needs beyond its weights (a GPT's characters, a table model's standardiser).
enum CheckpointPrimitives {
    static let vocabularyKey = "vocabulary"
    static let standardizerKey = "standardizer"

    private enum P {
        static let model = Param.model()
        static let file = Param.string("path", doc: "the safetensors file to write")
        static let source = Param.string("path", doc: "a safetensors file written by save, or a registered model: \"name@champion\", \"name@3\"")
    }

    static func register(into registry: Registry) {
        registry.function(
            "save", NativeParameters.list(P.model, P.file),
            doc: "Writes a model to a safetensors file (weights, architecture, vocabulary); returns the path."
        ) { call throws(LoopError) in
            let box = try call[P.model]
            let path = try call[P.file]
            do { try Checkpoint.save(box.layer, to: path, metadata: metadata(of: box)) } catch {
                throw trainError("save", "cannot write '\(path)': \(error)")
            }
            return .string(path)
        }

        registry.function(
            "load_model", NativeParameters.list(P.source),
            doc: "A model read from a safetensors file written by save, or from the registry: load_model(\"name@champion\"), load_model(\"name@3\")."
        ) { call throws(LoopError) in
            var path = try call[P.source]
            if !POSIXFiles.exists(path), let checkpoint = try ModelReference.checkpointPath(path, call: call) { path = checkpoint }
            do {
                let (layer, metadata) = try Checkpoint.load(from: path)
                let box = ModelBox(layer)
                box.vocabulary = metadata[vocabularyKey].flatMap { try? JSONDecoder().decode(CharVocabulary.self, from: Data($0.utf8)) }
                box.standardizer = metadata[standardizerKey].flatMap { try? JSONDecoder().decode(Standardizer.self, from: Data($0.utf8)) }
                return TrainingTypes.handle(box)
            } catch let error as CheckpointError {
                throw trainError("load_model", error.description)
            } catch {
                throw trainError("load_model", "cannot load '\(path)': \(error)")
            }
        }
    }

    /// What a checkpoint carries beside the weights: a GPT's characters, a table model's
    /// standardiser.
    static func metadata(of box: ModelBox) -> [String: String] {
        var metadata: [String: String] = [:]
        if let v = box.vocabulary { metadata[vocabularyKey] = json(v) }
        if let s = box.standardizer { metadata[standardizerKey] = json(s) }
        return metadata
    }

    static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
    }
}
