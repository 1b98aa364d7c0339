import Foundation
import LoopSupport
import LoopTrain
import Testing

@Suite struct CheckpointTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("looptrain-\(getpid())-\(name)").path
    }

    func trainedModel() -> Sequential {
        let data = SyntheticData.moons(count: 64, seed: 1)
        var rng = SeededRandom(seed: 42)
        let model = Sequential([
            Linear(inputs: 2, outputs: 8, rng: &rng), GELU(), LayerNorm(features: 8),
            Dropout(rate: 0.1, rng: &rng), Linear(inputs: 8, outputs: 2, bias: false, rng: &rng),
        ])
        _ = train(model, on: data, loss: .softmaxCrossEntropy, optimizer: Adam(parameters: model.parameters),
                  epochs: 2, batchSize: 16, seed: 2)
        return model
    }

    @Test func roundTripIsBitExact() throws {
        let model = trainedModel()
        let path = temporaryPath("roundtrip.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint.save(model, to: path, metadata: ["classes": "[\"a\",\"b\"]"])
        let (loaded, metadata) = try Checkpoint.load(from: path)
        #expect(metadata["classes"] == "[\"a\",\"b\"]" && metadata["format"] == "looplab")
        #expect(loaded.config == model.config)
        #expect(loaded.parameters.map(\.name) == model.parameters.map(\.name))
        for (a, b) in zip(loaded.parameters, model.parameters) { #expect(a.value == b.value, "\(a.name)") }
        let x = randomTensor([5, 2], seed: 3)
        #expect(loaded.forward(x, training: false) == model.forward(x, training: false))
        // Same model, same bytes.
        #expect(Checkpoint.encode(loaded, metadata: ["classes": "[\"a\",\"b\"]"]).encoded()
            == Checkpoint.encode(model, metadata: ["classes": "[\"a\",\"b\"]"]).encoded())
    }

    @Test func layoutFollowsTheSpec() throws {
        let t = Tensor(shape: [2, 3], values: [1, -2, 3.5, .infinity, 0, -0.0])
        let file = Safetensors(tensors: [("w", t), ("s", Tensor(shape: [], values: [7]))], metadata: ["k": "v\"q"])
        let bytes = file.encoded()
        let n = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect(n % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        #expect(header.contains("\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"))
        #expect(header.contains("\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]}"))
        #expect(bytes.count == 8 + n + 28)
        #expect(try Safetensors(decoding: bytes) == file)
    }

    @Test func rejectsBadFiles() throws {
        #expect(throws: CheckpointError.self) { try Safetensors(decoding: [1, 2, 3]) }
        #expect(throws: CheckpointError.self) { try Safetensors(decoding: [255, 0, 0, 0, 0, 0, 0, 0, 123]) }
        let noArch = Safetensors(tensors: [("0.weight", Tensor(shape: [1]))])
        #expect(throws: CheckpointError.missingArchitecture(path: "<checkpoint>")) { try Checkpoint.decode(noArch) }
        var file = Checkpoint.encode(mlp(inputs: 2, hidden: [3], outputs: 1, seed: 1))
        file.tensors[0].tensor = Tensor(shape: [3, 3])
        #expect(throws: CheckpointError.shapeMismatch(path: "<checkpoint>", name: "0.weight", expected: [3, 2], found: [3, 3])) {
            try Checkpoint.decode(file)
        }
        #expect(throws: CheckpointError.self) { try Checkpoint.load(from: "/nonexistent/model.safetensors") }
    }

    /// A reader written from the format description, with Python's standard library only.
    @Test func pythonStdlibReaderAgrees() throws {
        let model = trainedModel()
        let path = temporaryPath("python.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint.save(model, to: path)
        let script = """
        import json, struct, sys
        with open(sys.argv[1], "rb") as f:
            data = f.read()
        (n,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + n])
        meta = header.pop("__metadata__")
        json.loads(meta["architecture"])
        out = {}
        for name, info in header.items():
            assert info["dtype"] == "F32"
            begin, end = info["data_offsets"]
            count = (end - begin) // 4
            values = struct.unpack("<%dI" % count, data[8 + n + begin:8 + n + end])
            out[name] = {"shape": info["shape"], "bits": list(values)}
        print(json.dumps(out))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        do { try process.run() } catch {
            print("skipping pythonStdlibReaderAgrees: cannot run python3")
            return
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            print("skipping pythonStdlibReaderAgrees: python3 not found")
            return
        }
        #expect(process.terminationStatus == 0)
        let parsed = try #require(try JSONSerialization.jsonObject(with: output) as? [String: [String: Any]])
        #expect(Set(parsed.keys) == Set(model.parameters.map(\.name)))
        for p in model.parameters {
            let entry = try #require(parsed[p.name])
            #expect(entry["shape"] as? [Int] == p.value.shape)
            #expect((entry["bits"] as? [UInt32]) == p.value.scalars.map(\.bitPattern), "\(p.name)")
        }
    }
}
