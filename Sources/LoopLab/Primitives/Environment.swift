import Glibc
import LoopLang

/// `env(name, default:)` and the constant `args`: what the process was started with.
enum EnvironmentPrimitives {
    private enum P {
        static let name = Param.string("name", doc: "the variable's name, e.g. \"HOME\"")
        static let fallback = Param.value("default", default: .nil, doc: "what env gives when the variable is not set")
    }

    static func register(into registry: Registry, arguments: [String], worker: WorkerRole?) {
        registry.function(
            "env", NativeParameters.list(P.name, P.fallback),
            doc: "The environment variable `name` as a String, or `default` (nil) when it is not set."
        ) { call throws(LoopError) in
            let name = try call[P.name]
            guard let raw = getenv(name) else { return try call[P.fallback] }
            return .string(String(cString: raw))
        }
        registry.constant(
            "args", .list(arguments.map { .string($0) }),
            doc: "The script's command-line arguments (after the file name), as a List of Strings."
        )
        registry.constant(
            "worker", .record(pairs: [("index", .int(worker?.index ?? 0)), ("count", .int(worker?.count ?? 1))]),
            doc: "Which worker this process is under `looplab run --workers N`: {index: 0..N-1, count: N}; {index: 0, count: 1} otherwise. Code after a study loop runs in every worker: `if worker.index == 0 { ... }` runs it once."
        )
    }
}
