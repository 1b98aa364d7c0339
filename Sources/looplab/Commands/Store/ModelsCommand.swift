import ArgumentParser
import LoopStore

/// `looplab models [NAME]`: the model registry: every name with its champion, or one name's
/// versions.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the model registry: names, versions and champions (load one with load_model(\"NAME@champion\")).")

    @ArgumentParser.Argument(help: "A model's name: list its versions.") var name: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        let db = try store.open()
        if let name {
            let versions = try db.versions(model: name)
            guard !versions.isEmpty else {
                let names = try db.modelNames()
                Diagnostics.printError("looplab: no model '\(name)' in \(db.location)" + (names.isEmpty ? "" : "; models: " + names.joined(separator: ", ")))
                throw ExitCode(1)
            }
            let champion = try db.champion(model: name)?.version
            let rows = try versions.map { v in
                [String(v.version) + (v.version == champion ? " *" : ""), v.status.rawValue, Self.metrics(v.metrics),
                 v.artifactSHA256.map { String($0.prefix(12)) } ?? "-", try origin(v, db)]
            }
            print(TextTable.render(["version", "status", "metrics", "checkpoint", "from"], rows))
            return
        }
        var rows: [[String]] = []
        for name in try db.modelNames() {
            let versions = try db.versions(model: name)
            let champion = try db.champion(model: name)
            rows.append([name, String(versions.count), champion.map { "v\($0.version)" } ?? "-",
                         champion.map { Self.metrics($0.metrics) } ?? "-", try champion.map { try origin($0, db) } ?? "-"])
        }
        if rows.isEmpty { print("no models in \(db.location) (promote(model, as: \"name\", ...) registers one)"); return }
        print(TextTable.render(["model", "versions", "champion", "metrics", "from"], rows))
    }

    /// `study #number` for a version promoted from a trial, else `-`.
    private func origin(_ v: ModelVersion, _ db: Store) throws -> String {
        guard let id = v.trialID, let trial = try db.trial(id: id), let study = try db.study(id: trial.studyID) else { return "-" }
        return "\(study.name) trial \(trial.number)"
    }

    static func metrics(_ m: [String: Double]) -> String {
        m.isEmpty ? "-" : m.keys.sorted().map { "\($0)=\(TextTable.number(m[$0]))" }.joined(separator: " ")
    }
}
