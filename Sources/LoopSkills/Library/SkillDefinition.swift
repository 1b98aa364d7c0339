/// A skill as the language defines it (`skill name(params) "doc" { ... }`), reduced to what the
/// library stores, versions and searches. The caller parses `.loop` source into these.
public struct SkillDefinition: Sendable, Hashable {
    public struct Parameter: Sendable, Hashable {
        public let name: String
        public let hasDefault: Bool

        public init(name: String, hasDefault: Bool) {
            self.name = name
            self.hasDefault = hasDefault
        }
    }

    public let name: String
    public let doc: String
    public let parameters: [Parameter]
    /// The skill's full source text; its sha256 is the content hash.
    public let source: String

    public init(name: String, doc: String, parameters: [Parameter], source: String) {
        self.name = name
        self.doc = doc
        self.parameters = parameters
        self.source = source
    }

    /// `name(a, b = ...)`: the signature recorded in `skill.json`.
    public var signature: String {
        name + "(" + parameters.map { $0.hasDefault ? "\($0.name) = ..." : $0.name }.joined(separator: ", ") + ")"
    }

    /// The parameters a recorded signature describes; nil when it is not one this type wrote.
    static func parameters(ofSignature signature: String) -> [Parameter]? {
        guard let open = signature.firstIndex(of: "("), signature.hasSuffix(")") else { return nil }
        let inside = signature[signature.index(after: open)..<signature.index(before: signature.endIndex)]
        if String(inside).trimmingSpaces.isEmpty { return [] }
        return inside.split(separator: ",").map { part in
            let text = String(part).trimmingSpaces
            if text.hasSuffix("= ...") {
                return Parameter(name: String(text.dropLast(5)).trimmingSpaces, hasDefault: true)
            }
            return Parameter(name: text, hasDefault: false)
        }
    }

    /// How big a change from `old` parameters to these is: a removed or renamed parameter, a new
    /// one without a default, or a default taken away is major; a new one with a default is minor;
    /// anything else (body, doc) is a patch.
    func change(from old: [Parameter]) -> SemanticVersion.Component {
        let new = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let previous = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for parameter in old {
            guard let now = new[parameter.name], now.hasDefault || !parameter.hasDefault else { return .major }
        }
        let added = parameters.filter { previous[$0.name] == nil }
        if added.contains(where: { !$0.hasDefault }) { return .major }
        return added.isEmpty ? .patch : .minor
    }
}

/// A trial a skill ran in, copied from the store into `skill.json` when the skill is saved.
public struct SkillEvidence: Sendable, Hashable {
    public let study: String
    public let trial: Int
    public let status: String
    public let metrics: [String: Double]

    public init(study: String, trial: Int, status: String, metrics: [String: Double]) {
        self.study = study
        self.trial = trial
        self.status = status
        self.metrics = metrics
    }
}

/// What `skill.json` records about one saved version.
public struct SkillVersionMetadata: Sendable, Hashable {
    public let version: SemanticVersion
    public let sha256: String
    public let doc: String
    public let signature: String
    public let author: String
    /// ISO-8601, as the caller gave it.
    public let date: String
    public let evidence: [SkillEvidence]
}

/// What `save` did.
public enum SaveOutcome: Sendable, Hashable {
    /// A new version was written.
    case created(SemanticVersion)
    /// The latest version already has this source; nothing was written.
    case unchanged(SemanticVersion)
}
