import LoopLang
import LoopStore

/// `export(study, path, format:)`: a study's trials as TSV, CSV or JSON lines.
enum ExportPrimitives {
    private enum P {
        static let study = Param.study()
        static let path = Param.string("path", doc: "the file to write")
        static let format = Param.optionalString("format", doc: "tsv, csv or jsonl (default: from the path's extension)")
    }

    static func register(into registry: Registry, context: ResearchContext) {
        registry.function(
            "export", NativeParameters.list(P.study, P.path, P.format),
            doc: "Writes a study's trials (a Study or its name) to `path` as tsv (id, metric, status, description), csv or jsonl, by extension or `format:`; returns the path."
        ) { call throws(LoopError) in
            let path = try call[P.path]
            let format: StudyExport.Format
            if let s = try call[P.format] {
                guard let f = StudyExport.Format(rawValue: s) else { throw researchError("export: format must be \"tsv\", \"csv\" or \"jsonl\", got \"\(s)\"") }
                format = f
            } else {
                guard let f = StudyExport.Format(path: path) else {
                    throw researchError("export: cannot tell the format of '\(path)'; name it .tsv, .csv or .jsonl, or pass format: \"tsv\"")
                }
                format = f
            }
            let (study, trials) = try StoredStudy.load(try call[P.study].name, context: context, function: "export")
            do throws(POSIXFiles.Failure) {
                try POSIXFiles.writeText(path, StudyExport.render(study, trials: trials, format: format))
            } catch {
                throw FilePrimitives.ioError("cannot write '\(path)': \(error.reason)")
            }
            return .string(path)
        }
    }
}
