import Glibc
import LoopLab
import LoopLang

/// A reference measured by a script in `scripts/compare/` run with `LOOPLAB_PYTHON` (else
/// `python3` on PATH). The script prints one JSON object (or a list of them) per line; exit status 3 means a module
/// it needs (numpy, torch) is missing. The product never needs Python: without it the reference is
/// skipped with a note.
struct PythonReference {
    /// The script's file name in `scripts/compare/`.
    var script: String
    var arguments: [String]
    /// `NAME=value` settings for that command only (`-NAME` unsets one).
    var environment: [String] = []

    /// The interpreter: `LOOPLAB_PYTHON`, else `python3` on PATH.
    static var python: String? {
        if let raw = getenv("LOOPLAB_PYTHON"), raw.pointee != 0 { return String(cString: raw) }
        return ReferenceProgram.find("python3")
    }

    /// The objects the script printed, or why there are none.
    func run() -> Result<[Record], Skipped> {
        guard let python = Self.python else { return .failure(Skipped("python3 not found (set LOOPLAB_PYTHON)")) }
        guard let stdlib = StdlibLocator.locate() else { return .failure(Skipped("scripts/compare not found")) }
        let path = POSIXFiles.parent(stdlib) + "/scripts/compare/" + script
        guard POSIXFiles.exists(path) else { return .failure(Skipped("\(path) not found")) }
        let env = environment.map { $0.hasPrefix("-") ? "-u '\($0.dropFirst())'" : "'\($0)'" }.joined(separator: " ")
        let command = "env \(env) '\(python)' '\(path)' " + arguments.map { "'\($0)'" }.joined(separator: " ") + " 2>/dev/null"
        guard let (status, text) = Shell.output(of: command) else { return .failure(Skipped("could not start \(python)")) }
        if status != 0 {
            return .failure(Skipped(status == 3 ? "a module \(script) needs (numpy, torch, optuna) is not installed for \(python); set LOOPLAB_PYTHON to a venv's python"
                : "\(script) failed (exit status \(status))"))
        }
        var records: [Record] = []
        for line in text.split(separator: "\n") {
            switch try? JSON.decode(String(line)) {
            case .record(let r)?: records.append(r)
            case .list(let items)?:  // gemm.py --json prints one list of objects
                for case .record(let r) in items { records.append(r) }
            default: continue
            }
        }
        return records.isEmpty ? .failure(Skipped("\(script) printed nothing")) : .success(records)
    }

    struct Skipped: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// `case` → `value` of script output shaped `{"case": ..., "value": ...}`.
    static func values(_ records: [Record]) -> [String: Double] {
        var out: [String: Double] = [:]
        for r in records {
            if case .string(let name)? = r.fields["case"], let v = r.fields["value"]?.number { out[name] = v }
        }
        return out
    }
}
