import Crypto
import Foundation
import LoopSupport

/// A trial's file under a role (`trial_artifacts`).
public struct TrialArtifactLink: Sendable, Hashable {
    public var trialID: Int64
    public var role: String
    public var sha256: String
    public var createdAt: Date

    public init(trialID: Int64, role: String, sha256: String, createdAt: Date) {
        self.trialID = trialID
        self.role = role
        self.sha256 = sha256
        self.createdAt = createdAt
    }
}

/// One use of a skill in a trial (`skill_uses`).
public struct SkillUseRecord: Sendable, Hashable {
    public var skill: String
    public var sha256: String
    public var trialID: Int64
    public var usedAt: Date

    public init(skill: String, sha256: String, trialID: Int64, usedAt: Date) {
        self.skill = skill
        self.sha256 = sha256
        self.trialID = trialID
        self.usedAt = usedAt
    }
}

/// Every row of a store, ids included (artifacts by record: their bytes are read one at a time),
/// what `looplab store migrate` copies from one backend to another and then compares.
public struct StoreSnapshot: Sendable {
    public var studies: [Study] = []
    public var trials: [Trial] = []
    public var reports: [TrialReport] = []
    public var notes: [Note] = []
    public var artifacts: [Artifact] = []
    public var trialArtifacts: [TrialArtifactLink] = []
    public var models: [ModelVersion] = []
    public var skills: [InstalledSkill] = []
    public var skillUses: [SkillUseRecord] = []

    public init() {}

    public var isEmpty: Bool {
        studies.isEmpty && notes.isEmpty && artifacts.isEmpty && models.isEmpty && skills.isEmpty
    }

    /// Each table with its row count and the SHA-256 of its rows in a canonical text (sorted,
    /// times to the millisecond: what both backends keep), so two stores are compared table by
    /// table without trusting either one's own encoding.
    public var tableDigests: [(table: String, rows: Int, sha256: String)] {
        let tables: [(String, [String])] = [
            ("studies", studies.map(Canonical.study)), ("trials", trials.map(Canonical.trial)),
            ("trial_reports", reports.map(Canonical.report)), ("notes", notes.map(Canonical.note)),
            ("artifacts", artifacts.map(Canonical.artifact)), ("trial_artifacts", trialArtifacts.map(Canonical.link)),
            ("models", models.map(Canonical.model)), ("skills", skills.map(Canonical.skill)),
            ("skill_uses", skillUses.map(Canonical.use)),
        ]
        return tables.map { name, lines in
            let text = lines.sorted().joined(separator: "\n")
            let digest = ArtifactFiles.hex(SHA256.hash(data: Data(text.utf8)))
            return (name, lines.count, digest)
        }
    }
}

/// One line of text per row, the same whichever backend the row was read from.
private enum Canonical {
    static func ms(_ date: Date?) -> String {
        guard let date else { return "-" }
        return String(Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
    static func num(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value.isNaN ? "NaN" : String(value)
    }
    static func opt<T: CustomStringConvertible>(_ value: T?) -> String { value?.description ?? "-" }
    static func json<T: Encodable>(_ value: T) -> String { (try? JSONText.encode(value, column: "snapshot")) ?? "?" }
    static func metrics(_ m: [String: Double]) -> String {
        m.keys.sorted().map { key -> String in key + "=" + num(m[key]) }.joined(separator: ",")
    }
    static func line(_ fields: [String]) -> String { fields.joined(separator: "|") }

    static func study(_ s: Study) -> String {
        let fields: [String] = [String(s.id), s.name, s.description, json(s.space), opt(s.goalMetric), s.goalDirection.rawValue,
                                s.strategy, opt(s.seed), json(s.settings), opt(s.stopReason), ms(s.createdAt), ms(s.updatedAt)]
        return line(fields)
    }
    static func trial(_ t: Trial) -> String {
        let head: [String] = [String(t.id), String(t.studyID), String(t.number), json(t.params), t.state.rawValue, metrics(t.metrics)]
        let middle: [String] = [t.integerMetrics.sorted().joined(separator: ","), num(t.value), opt(t.error), opt(t.seed)]
        let tail: [String] = [ms(t.startedAt), ms(t.finishedAt), ms(t.heartbeatAt), opt(t.pid), opt(t.host), opt(t.repeatOf),
                              String(t.repeatIndex)]
        return line(head + middle + tail)
    }
    static func report(_ r: TrialReport) -> String { line([String(r.trialID), String(r.step), num(r.value), ms(r.reportedAt)]) }
    static func note(_ n: Note) -> String {
        let value: String = n.value.map { json($0) } ?? "-"
        let fields: [String] = [String(n.id), n.text, n.tags.joined(separator: ","), opt(n.key), value, opt(n.studyID), opt(n.trialID),
                                ms(n.createdAt), ms(n.updatedAt)]
        return line(fields)
    }
    static func artifact(_ a: Artifact) -> String { line([a.sha256, a.kind, String(a.size), opt(a.name), ms(a.createdAt)]) }
    static func link(_ l: TrialArtifactLink) -> String { line([String(l.trialID), l.role, l.sha256, ms(l.createdAt)]) }
    static func model(_ m: ModelVersion) -> String {
        let fields: [String] = [String(m.id), m.name, String(m.version), m.status.rawValue, metrics(m.metrics), opt(m.artifactSHA256),
                                opt(m.trialID), json(m.gate), ms(m.createdAt)]
        return line(fields)
    }
    static func skill(_ k: InstalledSkill) -> String { line([k.name, k.version, k.sha256, k.source, json(k.permissions), ms(k.installedAt)]) }
    static func use(_ u: SkillUseRecord) -> String { line([u.skill, u.sha256, String(u.trialID), ms(u.usedAt)]) }
}
