import Foundation

/// Saving and loading whole models as safetensors files.
///
/// The tensors are the model's parameters under their names (`0.weight`, `0.bias`, ... — the
/// names and `[out, in]` weight layout PyTorch's `nn.Sequential` of `nn.Linear` uses), and
/// `__metadata__` holds `"format": "looplab"` and `"architecture"`: the model's `LayerConfig` as a
/// JSON string, enough to rebuild it. Extra metadata (a standardiser, class names, a run id) rides
/// along as further string entries.
public enum Checkpoint {
    /// The metadata key holding the architecture JSON.
    public static let architectureKey = "architecture"

    /// The model's parameters and architecture as a safetensors value.
    public static func encode(_ model: any Layer, metadata: [String: String] = [:]) -> Safetensors {
        var meta = metadata
        meta["format"] = "looplab"
        meta[architectureKey] = architectureJSON(model.config)
        return Safetensors(tensors: model.parameters.map { ($0.name, $0.value) }, metadata: meta)
    }

    /// Writes `model` to `path`.
    public static func save(_ model: any Layer, to path: String, metadata: [String: String] = [:]) throws {
        try encode(model, metadata: metadata).write(to: path)
    }

    /// Rebuilds the model stored in `file` and copies its parameters in (bit-exact).
    public static func decode(_ file: Safetensors, path: String = "<checkpoint>") throws -> any Layer {
        guard let json = file.metadata[architectureKey], let data = json.data(using: .utf8),
              let config = try? JSONDecoder().decode(LayerConfig.self, from: data)
        else { throw CheckpointError.missingArchitecture(path: path) }
        // The architecture is data from the file: check it, and what it would take, before building.
        if let problem = config.problem { throw CheckpointError.invalidArchitecture(path: path, reason: problem) }
        if let exceeded = config.memoryProblem {
            throw CheckpointError.invalidArchitecture(path: path, reason: "the model it describes \(exceeded.explanation)")
        }
        let model = makeLayer(config)
        for p in model.parameters {
            guard let t = file[p.name] else { throw CheckpointError.missingTensor(path: path, name: p.name) }
            guard t.shape == p.value.shape else {
                throw CheckpointError.shapeMismatch(path: path, name: p.name, expected: p.value.shape, found: t.shape)
            }
            p.value = t
        }
        return model
    }

    /// Reads the model (and the file's metadata) from `path`.
    public static func load(from path: String) throws -> (model: any Layer, metadata: [String: String]) {
        let file = try Safetensors(contentsOf: path)
        return (try decode(file, path: path), file.metadata)
    }

    /// The architecture as compact JSON with sorted keys (stable bytes for equal models).
    public static func architectureJSON(_ config: LayerConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(config)) ?? Data(), as: UTF8.self)
    }
}
