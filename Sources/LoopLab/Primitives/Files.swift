import LoopLang

/// `read_file(path)` and `write_file(path, text)`: whole-file text I/O relative to the current
/// directory. Failures are catchable errors of kind "io".
enum FilePrimitives {
    static func register(into registry: Registry) {
        registry.function("read_file", [NativeParameter("path")], doc: "The contents of the file at `path` as a String (UTF-8).") { call throws(LoopError) in
            let path = try call.string("path")
            do throws(POSIXFiles.Failure) {
                return .string(try POSIXFiles.readText(path))
            } catch {
                throw ioError("cannot read '\(path)': \(error.reason)")
            }
        }
        registry.function(
            "write_file", [NativeParameter("path"), NativeParameter("text")],
            doc: "Writes the String `text` to the file at `path`, replacing what was there; returns nil."
        ) { call throws(LoopError) in
            let path = try call.string("path")
            let text = try call.string("text")
            do throws(POSIXFiles.Failure) {
                try POSIXFiles.writeText(path, text)
            } catch {
                throw ioError("cannot write '\(path)': \(error.reason)")
            }
            return .nil
        }
    }

    static func ioError(_ message: String) -> LoopError {
        LoopError(.host(kind: "io", message: message))
    }
}
