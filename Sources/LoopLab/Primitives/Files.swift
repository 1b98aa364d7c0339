import LoopLang

/// `read_file(path)` and `write_file(path, text)`: whole-file text I/O relative to the current
/// directory. Failures are catchable errors of kind "io".
enum FilePrimitives {
    private enum P {
        static let path = Param.string("path", doc: "a file path, relative to the current directory")
        static let text = Param.string("text", doc: "what the file will hold")
    }

    static func register(into registry: Registry) {
        registry.function("read_file", NativeParameters.list(P.path), doc: "The contents of the file at `path` as a String (UTF-8).") { call throws(LoopError) in
            let path = try call[P.path]
            do throws(POSIXFiles.Failure) {
                return .string(try POSIXFiles.readText(path))
            } catch {
                throw ioError("cannot read '\(path)': \(error.reason)")
            }
        }
        registry.function(
            "write_file", NativeParameters.list(P.path, P.text),
            doc: "Writes the String `text` to the file at `path`, replacing what was there; returns nil."
        ) { call throws(LoopError) in
            let path = try call[P.path]
            let text = try call[P.text]
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
