import LoopLang
import LoopStore

/// `export(study, path, format:)`: a study's trials as TSV, CSV or JSON lines.
enum ExportPrimitives {
    static func register(into registry: Registry, context: ResearchContext) {
        registry.function(
            "export", [NativeParameter("study"), NativeParameter("path"), .optional("format")],
            doc: "Writes a study's trials (a Study or its name) to `path` as tsv (id, metric, status, description), csv or jsonl, by extension or `format:`; returns the path."
        ) { call throws(LoopError) in
            let path = try call.string("path")
            let format: StudyExport.Format
            switch call.value("format") {
            case .nil:
                guard let f = StudyExport.Format(path: path) else {
                    throw researchError("export: cannot tell the format of '\(path)'; name it .tsv, .csv or .jsonl, or pass format: \"tsv\"")
                }
                format = f
            case .string(let s):
                guard let f = StudyExport.Format(rawValue: s) else { throw researchError("export: format must be \"tsv\", \"csv\" or \"jsonl\", got \"\(s)\"") }
                format = f
            case let other: throw call.wrongType("format", expected: "a String", got: other)
            }
            let name: String
            switch call.value("study") {
            case .handle(let h) where h.object is StudyBox: name = (h.object as! StudyBox).name
            case .string(let s): name = s
            case let other: throw researchError("export: expected a Study or a study's name, got \(other.typeName)")
            }
            let (study, trials) = try StoredStudy.load(name, context: context, function: "export")
            do throws(POSIXFiles.Failure) {
                try POSIXFiles.writeText(path, StudyExport.render(study, trials: trials, format: format))
            } catch {
                throw LoopError(.host(kind: "io", message: "cannot write '\(path)': \(error.reason)"))
            }
            return .string(path)
        }
    }
}
