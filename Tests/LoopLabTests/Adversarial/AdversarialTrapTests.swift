import Foundation
import Testing

/// Issue 11, "Inputs that trap": each once ended the process with a Swift trap (exit 132-139) or
/// an allocation it could not survive; each must now be a clear, catchable error (exit 1).
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct AdversarialTrapTests {
    static let maxInt = "9223372036854775807"
    static let train = "let d = dataset(\"moons\", n: 40)\nlet m = mlp(d, hidden: [4])\n"

    static let errors: [(String, String)] = [
        // Arithmetic.
        ("len(-\(maxInt)..<1)", "the range -\(maxInt)..<1 has more items than an Int can count"),
        ("sum(0..<100000000000)", "integer overflow in 'sum'"),
        ("json(0..<1000000000000)", "json(0..<1000000000000) needs about 22 TB of memory"),
        ("print(space {x: integers(-\(maxInt) - 1, \(maxInt))}.size)", "holds more values than an Int can count"),
        // Training options.
        (train + "train(m, d, optimizer: \"sgd\", momentum: -1)", "train: momentum must be in [0, 1), got -1.0"),
        (train + "train(m, d, optimizer: \"sgd\", momentum: float(\"nan\"))", "train: momentum must be in [0, 1), got nan"),
        ("dataset(\"spirals\", classes: 0)", "dataset: classes must be at least 1, got 0"),
        ("dataset(\"blobs\", classes: -1)", "dataset: classes must be at least 1, got -1"),
        ("dataset(\"blobs\", features: \(maxInt))", "features: \(maxInt)) needs about"),
        // Sizes: the memory it would need against what the machine has.
        ("mlp(in: 100000, hidden: [100000], out: 2)", "mlp: a model of 10,000,300,002 parameters (with gradients and optimizer state) needs about 160 GB of memory; this machine has"),
        ("gpt(vocab: 1e8, dim: 1e5)", "gpt: a model of "),
        ("mlp(in: 4000000000, hidden: [4000000000], out: 4000000000)", "needs about 512 EB of memory"),
        ("seq(linear(4000000000, 4000000000))", "seq: a model of 1.6000000004e+19 parameters"),
        // Chart sizes: the grid is bounded before it is allocated.
        ("plot([1, 2, 3], width: \(maxInt))", "plot: width must be in 1...10000, got \(maxInt)"),
        ("plot([1, 2, 3], height: -5)", "plot: height must be in 1...10000, got -5"),
    ]

    @Test(arguments: errors)
    func trapsBecomeErrors(_ code: String, _ message: String) throws {
        let r = try evaluate(code)
        #expect(r.isError(message), "\(r)")
        // Catchable like any other error.
        let caught = try evaluate("print(try { \(code.replacingOccurrences(of: "\n", with: "; ")) } catch e { \"caught \" + e.kind })")
        #expect(caught.status == 0 && caught.stdout.hasPrefix("caught "), "\(caught)")
    }

    static let runsToTheirBudget: [String] = [
        train + "print(train(m, d, steps: \(maxInt), budget: 1s, progress: false).status)",
        train + "print(train(m, d, epochs: \(maxInt), budget: 1s, progress: false).status)",
        train + "print(train(m, d, steps: \(maxInt), epochs: \(maxInt), budget: 1s, progress: false).status)",
        train + "print(train(m, d, schedule: \"warmup_cosine\", warmup: \(maxInt), epochs: 2, progress: false).status)",
        train + "print(train(m, d, schedule: {name: \"step\", every: 1e300}, epochs: 2, progress: false).status)",
    ]

    @Test(arguments: runsToTheirBudget)
    func hugeStepCountsRunUntilTheBudget(_ code: String) throws {
        let r = try evaluate(code)
        #expect(r.status == 0 && (r.stdout == "budget\n" || r.stdout == "completed\n"), "\(r)")
    }

    // MARK: crafted checkpoints

    /// A safetensors file: `tensors` are (name, shape, data_offsets), the data all zeros.
    static func checkpoint(architecture: String, tensors: [(String, [Int], [Int])]) -> Data {
        var entries = ["\"__metadata__\":{\"format\":\"looplab\",\"architecture\":\(jsonString(architecture))}"]
        for (name, shape, offsets) in tensors {
            entries.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":\(offsets)}")
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header
        bytes += [UInt8](repeating: 0, count: tensors.map { $0.2.last ?? 0 }.max() ?? 0)
        return Data(bytes)
    }

    static func jsonString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static let small = "{\"sequential\":{\"_0\":[{\"linear\":{\"bias\":true,\"inputs\":2,\"outputs\":3}}]}}"
    static func linear(_ i: Int, _ o: Int) -> String { "{\"sequential\":{\"_0\":[{\"linear\":{\"bias\":true,\"inputs\":\(i),\"outputs\":\(o)}}]}}" }
    static func gpt(dim: Int, heads: Int) -> String {
        "{\"gpt\":{\"_0\":{\"bias\":false,\"context\":4,\"dimension\":\(dim),\"heads\":\(heads),\"layers\":1,\"vocabulary\":5}}}"
    }

    static let checkpoints: [(String, [(String, [Int], [Int])], String)] = [
        (small, [("0.weight", [1 << 62, 4], [0, 16]), ("0.bias", [3], [16, 28])], "has shape [4611686018427387904, 4], more data than the file holds"),
        (small, [("0.weight", [-4, -2], [0, 32]), ("0.bias", [3], [32, 44])], "has shape [-4, -2], with a negative dimension"),
        (linear(-2, 3), [], "linear inputs must be positive, got -2"),
        (linear(1 << 40, 3), [], "the model it describes needs about"),
        (linear(100_000, 100_000), [], "the model it describes needs about 160 GB of memory"),
        ("{\"sequential\":{\"_0\":[{\"dropout\":{\"rate\":5}}]}}", [], "dropout rate must be in [0, 1), got 5.0"),
        (gpt(dim: 8, heads: 3), [], "channels (8) must be a positive multiple of heads (3)"),
        (gpt(dim: 8, heads: 0), [], "channels (8) must be a positive multiple of heads (0)"),
    ]

    @Test(arguments: checkpoints)
    func craftedCheckpointsAreRefused(_ architecture: String, _ tensors: [(String, [Int], [Int])], _ message: String) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.checkpoint(architecture: architecture, tensors: tensors).write(to: dir.appendingPathComponent("m.safetensors"))
        let r = try evaluate("load_model(\"m.safetensors\")", in: dir)
        #expect(r.isError("load_model: ") && r.stderr.contains(message), "\(r)")
    }

    // MARK: crafted packs

    @Test func aTarSizeFieldWithASignIsRefused() throws {
        let m = try Machine()
        defer { m.remove() }
        var tar = TarBuilder()
        tar.add("skills.toml", manifest("t", entry: ["t.loop"]))
        tar.add("t.loop", "", size: "-0000001000")
        let archive = m.root.appendingPathComponent("t.looppack")
        try tar.write(to: archive)
        let r = try m.install(archive.path, timeout: 30)
        #expect(r.isError("archive is corrupt (bad size field in the header at byte 1024)"), "\(r)")
    }

    @Test func deeplyNestedTOMLIsRefused() throws {
        let m = try Machine()
        defer { m.remove() }
        let deep = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        let pack = try m.makePack("deep", ["skills.toml": manifest("deep", entry: ["deep.loop"]) + "x = \(deep)\n",
                                           "deep.loop": "skill deep() \"d\" { 1 }\n"])
        let r = try m.install(pack.path)
        #expect(r.isError("arrays, tables and dotted keys nest more than 64 levels deep"), "\(r)")
        let dotted = try m.makePack("dotted", ["skills.toml": manifest("dotted", entry: ["dotted.loop"])
                                                   + Array(repeating: "a", count: 20_000).joined(separator: ".") + " = 1\n",
                                               "dotted.loop": "skill dotted() \"d\" { 1 }\n"])
        #expect(try m.install(dotted.path).isError("nest more than 64 levels deep"))
    }

    // MARK: source

    @Test func aMillionTermSumIsASyntaxError() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("long.loop")
        try ("print(1" + String(repeating: "+1", count: 1_500_000) + ")\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try looplab(["run", file.path])
        #expect(r.isStaticError("expression is nested too deeply"), "\(r)")
        // Chains up to the limit still run.
        try ("print(1" + String(repeating: "+1", count: 9_000) + ")\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(try looplab(["run", file.path]).stdout == "9001\n")
    }

    // MARK: files

    @Test(arguments: ["read_file", "load_csv", "load_text", "load_model"])
    func devicesAndHugeFilesAreRefusedBeforeReading(_ primitive: String) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let device = try evaluate("\(primitive)(\"/dev/zero\")", in: dir, timeout: 30)
        #expect(device.isError("cannot read") || device.isError("/dev/zero"), "\(device)")
        #expect(device.stderr.contains("it is a device, not a file"), "\(device)")
        // A 100 GB file (sparse: it takes no disk space) is refused by its size, not read.
        let huge = dir.appendingPathComponent("huge.txt")
        FileManager.default.createFile(atPath: huge.path, contents: nil)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 100_000_000_000)
        try handle.close()
        let big = try evaluate("\(primitive)(\"huge.txt\")", in: dir, timeout: 30)
        #expect(big.status == 1 && big.stderr.contains("it is 100 GB, more than the 2.0 GB Looplab reads into memory at once"), "\(big)")
    }
}
