import Foundation
import LoopSupport

/// A database that can hold a project store: the embedded SQLite file (``SQLiteStore``) or a
/// PostgreSQL server (the `LoopStorePostgres` module). ``Store`` is the one face the rest of
/// Looplab sees; it forwards every call to its backend.
///
/// Every backend keeps the same promises, and one test suite holds both to them
/// (`StoreParityTests`): claims are atomic (no two processes start the same trial number, overshoot
/// `maxTrials` or run one configuration twice), a finished trial is never rewritten, the trials
/// this process runs are heartbeated in the background, and errors are ``StoreError``s.
///
/// Requirements take every argument; ``Store`` supplies the defaults.
public protocol StoreBackend: AnyObject, Sendable {
    /// Where the store is, for messages: a file path, or a URL without its password.
    var location: String { get }
    /// This process, as recorded on the trials it starts.
    var owner: ProcessOwner { get }
    /// How the store was opened (the lease applies to every backend).
    var options: Store.Options { get }

    func close() throws(StoreError)
    /// The backend's own consistency check; `["ok"]` when healthy.
    func integrityCheck() throws(StoreError) -> [String]
    /// The applied schema versions, oldest first.
    func schemaVersions() throws(StoreError) -> [String]

    // Studies
    func openStudy(_ spec: StudySpec, now: Date) throws(StoreError) -> Study
    func study(named name: String) throws(StoreError) -> Study?
    func study(id: Int64) throws(StoreError) -> Study?
    func studies() throws(StoreError) -> [Study]
    func setStopReason(studyID: Int64, _ reason: String?, now: Date) throws(StoreError)
    func changeStamp(studyID: Int64?) throws(StoreError) -> String
    func lastTrialID() throws(StoreError) -> Int64
    func studyActivity(afterTrialID: Int64) throws(StoreError) -> [StudyActivity]

    // Trials
    func startTrial(studyID: Int64, params: [String: JSONValue], seed: Int?, repeatOf: Int?, repeatIndex: Int,
                    now: Date) throws(StoreError) -> Trial
    func claimTrial(studyID: Int64, params: [String: JSONValue], maxTrials: Int?, allowRepeat: Bool,
                    now: Date) throws(StoreError) -> TrialClaim
    func finishTrial(id: Int64, state: TrialState, metrics: [String: Double], integerMetrics: Set<String>,
                     value: Double?, error: String?, now: Date) throws(StoreError) -> Trial
    func recordTrial(studyID: Int64, params: [String: JSONValue], state: TrialState, metrics: [String: Double],
                     value: Double?, error: String?, seed: Int?, now: Date) throws(StoreError) -> Trial
    func recordTrials(studyID: Int64, _ trials: [(params: [String: JSONValue], metrics: [String: Double], value: Double?)],
                      state: TrialState, start: Date, spacing: Double) throws(StoreError)
    func report(trialID: Int64, step: Int, value: Double, now: Date) throws(StoreError)
    func heartbeat(trialID: Int64, now: Date) throws(StoreError)
    func recoverStaleTrials(studyID: Int64?, now: Date) throws(StoreError) -> [Trial]
    func trial(id: Int64) throws(StoreError) -> Trial?
    func trials(studyID: Int64, states: Set<TrialState>?) throws(StoreError) -> [Trial]
    func trials(studyID: Int64, fromNumber number: Int) throws(StoreError) -> [Trial]
    func bestTrial(studyID: Int64) throws(StoreError) -> Trial?
    func bestConfiguration(studyID: Int64) throws(StoreError) -> (trial: Trial, mean: Double, runs: Int)?
    func reports(trialID: Int64) throws(StoreError) -> [TrialReport]
    func reports(trialIDs: [Int64]) throws(StoreError) -> [TrialReport]
    func reports(studyID: Int64) throws(StoreError) -> [TrialReport]

    // Memory
    func remember(_ text: String, tags: [String], studyID: Int64?, trialID: Int64?, now: Date) throws(StoreError) -> Note
    func setMemory(_ key: String, to value: JSONValue, tags: [String], now: Date) throws(StoreError) -> Note
    func memory(_ key: String) throws(StoreError) -> JSONValue?
    func notes(tag: String?, limit: Int) throws(StoreError) -> [Note]
    func notes(studyID: Int64) throws(StoreError) -> [Note]
    func note(id: Int64) throws(StoreError) -> Note?
    func countNotes(tag: String) throws(StoreError) -> Int
    func forget(noteID: Int64) throws(StoreError) -> Bool
    func recall(_ query: String, limit: Int) throws(StoreError) -> [RecallHit]

    // Registry
    func registerModel(_ name: String, passedGate: Bool, gate: JSONValue, metrics: [String: Double],
                       artifactSHA256: String?, trialID: Int64?, now: Date) throws(StoreError) -> ModelVersion
    func champion(model name: String) throws(StoreError) -> ModelVersion?
    func versions(model name: String) throws(StoreError) -> [ModelVersion]
    func version(model name: String, _ version: Int) throws(StoreError) -> ModelVersion?
    func modelNames() throws(StoreError) -> [String]
    func rollback(model name: String) throws(StoreError) -> ModelVersion?

    // Skills
    func recordInstall(_ skill: InstalledSkill) throws(StoreError)
    func installedSkills() throws(StoreError) -> [InstalledSkill]
    func removeInstall(name: String, version: String?) throws(StoreError) -> Int
    func recordSkillUse(skill: String, sha256: String, trialID: Int64, now: Date) throws(StoreError)
    func skillUses(skill: String, sha256: String?) throws(StoreError) -> [SkillUse]

    // Artifacts
    func putArtifact(_ data: Data, kind: String, name: String?, now: Date) throws(StoreError) -> Artifact
    func putArtifact(fileAt source: URL, kind: String, name: String?, now: Date) throws(StoreError) -> Artifact
    func attachArtifact(trialID: Int64, role: String, sha256: String, now: Date) throws(StoreError)
    func trialArtifact(trialID: Int64, role: String) throws(StoreError) -> Artifact?
    func artifact(sha256: String) throws(StoreError) -> Artifact?
    /// The artifact's bytes, verified against its hash.
    func readArtifact(sha256: String) throws(StoreError) -> Data
    /// A local file holding the artifact's verified bytes, for loaders that read files.
    func verifiedArtifactURL(sha256: String) throws(StoreError) -> URL
    /// Where the artifact's file is (unverified: for showing and for loaders that verify later).
    func artifactURL(_ artifact: Artifact) throws(StoreError) -> URL

    // Migration
    /// Every row, ids included, read in one snapshot of the database.
    func snapshot() throws(StoreError) -> StoreSnapshot
    /// Writes every row of `snapshot`, ids kept, into this store, which must hold nothing yet
    /// (``StoreError/notEmpty(location:)`` otherwise, with nothing written); one transaction.
    /// `bytes` gives an artifact's content, verified against its hash.
    func restore(_ snapshot: StoreSnapshot, bytes: (Artifact) throws(StoreError) -> Data) throws(StoreError)
}
