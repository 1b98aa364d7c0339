import Foundation
import LoopStore
import LoopSupport

/// A study's trials as a file other tools read: TSV (`trial metric status description`, the shape
/// agents already keep results in), CSV (one column per parameter and metric) or JSON lines.
/// Used by `export(...)` in `.loop` and by `looplab export`.
public enum StudyExport {
    public enum Format: String, CaseIterable, Sendable {
        case tsv, csv, jsonl

        /// The format a file name implies (`.tsv`, `.csv`, `.jsonl`/`.ndjson`), if any.
        public init?(path: String) {
            let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
            switch ext {
            case "tsv", "txt": self = .tsv
            case "csv": self = .csv
            case "jsonl", "ndjson": self = .jsonl
            default: return nil
            }
        }
    }

    /// The text of the export, ending in a newline. Trials are in number order.
    public static func render(_ study: LoopStore.Study, trials: [Trial], format: Format) -> String {
        let trials = trials.sorted { $0.number < $1.number }
        switch format {
        case .tsv: return tsv(study, trials)
        case .csv: return csv(study, trials)
        case .jsonl: return jsonl(study, trials)
        }
    }

    /// `lr=0.001 hidden=64`: a trial's parameters in one line, keys sorted.
    public static func describe(_ params: [String: JSONValue]) -> String {
        params.keys.sorted().map { "\($0)=\(text(params[$0]!))" }.joined(separator: " ")
    }

    private static func tsv(_ study: LoopStore.Study, _ trials: [Trial]) -> String {
        var out = "trial\t\(study.goalMetric ?? "value")\tstatus\tdescription\n"
        for t in trials {
            var description = describe(t.params)
            if let error = t.error, t.state != .complete { description += " | " + error }
            let cells = [String(t.number), t.value.map(number) ?? "", t.state.rawValue, description]
            out += cells.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: "\t") + "\n"
        }
        return out
    }

    private static func csv(_ study: LoopStore.Study, _ trials: [Trial]) -> String {
        let params = Set(trials.flatMap(\.params.keys)).sorted()
        let metrics = Set(trials.flatMap(\.metrics.keys)).sorted()
        let header = ["trial", "status", study.goalMetric ?? "value"] + params.map { "param_\($0)" } + metrics.map { "metric_\($0)" } + ["error"]
        var out = header.map(quote).joined(separator: ",") + "\n"
        for t in trials {
            var row = [String(t.number), t.state.rawValue, t.value.map(number) ?? ""]
            row += params.map { t.params[$0].map(text) ?? "" }
            row += metrics.map { t.metrics[$0].map(number) ?? "" }
            row.append(t.error ?? "")
            out += row.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    private struct Line: Encodable {
        var study: String
        /// The trial's number within the study.
        var number: Int
        /// The trial's key in the store.
        var id: Int64
        var status: String
        var params: [String: JSONValue]
        var metrics: [String: Double]
        var value: Double?
        var error: String?
        var started_at: String
        var finished_at: String?
    }

    private static func jsonl(_ study: LoopStore.Study, _ trials: [Trial]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let stamp = ISO8601DateFormatter()
        stamp.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var out = ""
        for t in trials {
            let line = Line(study: study.name, number: t.number, id: t.id, status: t.state.rawValue, params: t.params, metrics: t.metrics,
                            value: t.value, error: t.error, started_at: stamp.string(from: t.startedAt),
                            finished_at: t.finishedAt.map(stamp.string))
            if let data = try? encoder.encode(line) { out += String(decoding: data, as: UTF8.self) + "\n" }
        }
        return out
    }

    private static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    private static func text(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let d): return number(d)
        case .string(let s): return s
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\($0):\(text(o[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    private static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
