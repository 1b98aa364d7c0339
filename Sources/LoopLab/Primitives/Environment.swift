import Glibc
import LoopLang

/// `env(name, default:)` and the constant `args`: what the process was started with.
enum EnvironmentPrimitives {
    static func register(into registry: Registry, arguments: [String]) {
        registry.function(
            "env", [NativeParameter("name"), NativeParameter("default", default: .nil)],
            doc: "The environment variable `name` as a String, or `default` (nil) when it is not set."
        ) { call throws(LoopError) in
            let name = try call.string("name")
            guard let raw = getenv(name) else { return call.value("default") }
            return .string(String(cString: raw))
        }
        registry.constant(
            "args", .list(arguments.map { .string($0) }),
            doc: "The script's command-line arguments (after the file name), as a List of Strings."
        )
    }
}
