import LoopSupport

extension SkillLibrary {
    static let metadataFile = "skill.json"

    /// Saves `definition` as `NAME/VERSION.loop` with its metadata, both written atomically.
    /// Identical source to the latest version is a no-op; otherwise the version is bumped by the
    /// size of the change (see `SkillDefinition.change(from:)`), or set to `explicitVersion`,
    /// which must be higher than the latest. The first save is 1.0.0 unless given.
    public func save(_ definition: SkillDefinition, author: String, date: String, evidence: [SkillEvidence] = [],
                     explicitVersion: SemanticVersion? = nil) throws(SkillError) -> SaveOutcome {
        guard SkillRequest.isValidName(definition.name) else { throw .invalidSkillName(definition.name) }
        let sha = Hashing.sha256(definition.source)
        let history = try metadata(for: definition.name)
        let latest = try entries().first { $0.name == definition.name }?.latest
        var version = explicitVersion ?? SemanticVersion(1, 0, 0)
        if let latest {
            let latestSource = try Files.readText(latest.path)
            if Hashing.sha256(latestSource) == sha { return .unchanged(latest.version) }
            if let explicitVersion {
                guard explicitVersion > latest.version else {
                    throw .versionNotHigher(name: definition.name, requested: "\(explicitVersion)", latest: "\(latest.version)")
                }
            } else {
                // Without a recorded signature (a hand-written file) compatibility is unknown.
                let recorded = history.first { $0.version == latest.version }
                    .flatMap { SkillDefinition.parameters(ofSignature: $0.signature) }
                version = latest.version.bumped(recorded.map { definition.change(from: $0) } ?? .major)
            }
        }
        let skillDirectory = Files.join(directory, definition.name)
        try Files.makeDirectories(skillDirectory)
        try Files.writeAtomically(Files.join(skillDirectory, "\(version).loop"), text: definition.source)
        let record = SkillVersionMetadata(version: version, sha256: sha, doc: definition.doc, signature: definition.signature,
                                          author: author, date: date, evidence: evidence)
        let all = (history.filter { $0.version != version } + [record]).sorted { $0.version < $1.version }
        let json = JSONValue.object(["name": .string(definition.name), "versions": .array(all.map(Self.json))])
        try Files.writeAtomically(Files.join(skillDirectory, Self.metadataFile), text: json.serialized(pretty: true) + "\n")
        return .created(version)
    }

    /// Every version recorded in `NAME/skill.json`, ascending; empty when there is none.
    public func metadata(for name: String) throws(SkillError) -> [SkillVersionMetadata] {
        let path = Files.join(Files.join(directory, name), Self.metadataFile)
        guard Files.isFile(path) else { return [] }
        guard let json = JSONValue(json: try Files.readText(path)), let versions = json["versions"]?.arrayValue else {
            throw .invalidMetadata(path: path, reason: "not a skill.json document")
        }
        var records: [SkillVersionMetadata] = []
        for item in versions {
            guard let record = Self.record(item) else {
                throw .invalidMetadata(path: path, reason: "a version record is malformed")
            }
            records.append(record)
        }
        return records.sorted { $0.version < $1.version }
    }

    private static func json(_ record: SkillVersionMetadata) -> JSONValue {
        .object([
            "version": .string(record.version.description),
            "sha256": .string(record.sha256),
            "doc": .string(record.doc),
            "signature": .string(record.signature),
            "author": .string(record.author),
            "date": .string(record.date),
            "evidence": .array(record.evidence.map { evidence in
                .object([
                    "study": .string(evidence.study),
                    "trial": .int(evidence.trial),
                    "status": .string(evidence.status),
                    "metrics": .object(evidence.metrics.mapValues { .number($0) }),
                ])
            }),
        ])
    }

    private static func record(_ json: JSONValue) -> SkillVersionMetadata? {
        guard let versionText = json["version"]?.stringValue, let version = SemanticVersion(versionText),
              let sha = json["sha256"]?.stringValue, let signature = json["signature"]?.stringValue else { return nil }
        var evidence: [SkillEvidence] = []
        for item in json["evidence"]?.arrayValue ?? [] {
            // Older files wrote the trial as 3.0: any whole number is read.
            guard let study = item["study"]?.stringValue, let trial = item["trial"]?.doubleValue, trial == trial.rounded(), abs(trial) < 1e15,
                  let status = item["status"]?.stringValue else { return nil }
            var metrics: [String: Double] = [:]
            for (key, value) in item["metrics"]?.objectValue ?? [:] {
                guard let number = value.doubleValue else { return nil }
                metrics[key] = number
            }
            evidence.append(SkillEvidence(study: study, trial: Int(trial), status: status, metrics: metrics))
        }
        return SkillVersionMetadata(version: version, sha256: sha, doc: json["doc"]?.stringValue ?? "", signature: signature,
                                    author: json["author"]?.stringValue ?? "", date: json["date"]?.stringValue ?? "", evidence: evidence)
    }
}
