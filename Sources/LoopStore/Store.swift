import Foundation
import LoopSupport
import Synchronization

/// A project's durable memory: studies, trials, notes, the model registry, artifacts and installed
/// skills. By default one SQLite database (WAL mode) with content-addressed files beside it
/// (``SQLiteStore``); with a `postgresql://` location, a PostgreSQL database that any number of
/// processes on any number of machines share (the `LoopStorePostgres` module registers it).
///
/// Open one `Store` per process and share it; it is thread-safe. Every throwing method throws
/// ``StoreError``. The methods are the backend's (see ``StoreBackend``), with defaults.
public final class Store: Sendable {
    /// The file name of the database inside the store directory.
    public static let databaseFileName = "looplab.db"
    /// The store directory's name inside a project directory.
    public static let directoryName = ".looplab"

    /// The database behind this store.
    public let backend: any StoreBackend

    /// Where the store is, for messages: a file path, or a URL without its password.
    public var location: String { backend.location }
    /// This process, as recorded on the trials it starts.
    public var owner: ProcessOwner { backend.owner }
    /// The options the store was opened with.
    public var options: Options { backend.options }

    public init(backend: any StoreBackend) {
        self.backend = backend
    }

    /// Opens (creating if needed) the SQLite store whose database file is `path`.
    public convenience init(path: String, options: Options = Options()) throws(StoreError) {
        self.init(backend: try SQLiteStore(path: path, options: options))
    }

    /// Opens the SQLite store of a project directory (`PROJECT/.looplab/looplab.db`), creating it if needed.
    public convenience init(projectDirectory: URL, options: Options = Options()) throws(StoreError) {
        try self.init(path: Store.defaultPath(projectDirectory: projectDirectory).path, options: options)
    }

    // MARK: - Locations

    /// Opens a backend for a URL location (`postgresql://…`); registered by the module that
    /// provides it, so that only the programs that want a server database link its driver.
    public typealias Opener = @Sendable (_ url: String, _ options: Options) throws(StoreError) -> any StoreBackend

    private static let openers = Mutex<[String: Opener]>([:])

    /// Makes `scheme://…` locations open with `opener` (`postgresql` and `postgres`, by
    /// `LoopStorePostgres.PostgresStore.register()`).
    public static func register(scheme: String, opener: @escaping Opener) {
        openers.withLock { $0[scheme.lowercased()] = opener }
    }

    /// The URL scheme of a location (`postgresql` for `postgresql://…`), or `nil` for a file path.
    public static func scheme(of location: String) -> String? {
        guard let range = location.range(of: "://") else { return nil }
        let scheme = location[..<range.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
        return scheme.lowercased()
    }

    /// Opens the store at `location`: a `scheme://` URL a backend was registered for, else an
    /// SQLite database path (relative paths from `projectDirectory`; `sqlite:PATH` also names one).
    public static func open(_ location: String?, projectDirectory: URL, options: Options = Options()) throws(StoreError) -> Store {
        if let location, let scheme = scheme(of: location) {
            guard let opener = openers.withLock({ $0[scheme] }) else { throw .unsupportedLocation(location: location) }
            return Store(backend: try opener(location, options))
        }
        return try Store(path: resolvePath(location, projectDirectory: projectDirectory).path, options: options)
    }

    /// Opens a store that must already exist (for commands that only read it): `nil` for a file
    /// path with no database; a server database is opened (and must hold a store's schema).
    public static func openExisting(_ location: String, options: Options = Options()) throws(StoreError) -> Store? {
        if scheme(of: location) == nil, !FileManager.default.fileExists(atPath: resolvePath(location, projectDirectory: URL(fileURLWithPath: "/")).path) {
            return nil
        }
        return try open(location, projectDirectory: URL(fileURLWithPath: "/"), options: options)
    }

    /// `chosen` made absolute: a URL as it is, a file path resolved like ``resolvePath(_:projectDirectory:)``.
    /// What a launcher hands to its workers.
    public static func resolveLocation(_ chosen: String?, projectDirectory: URL) -> String {
        if let chosen, scheme(of: chosen) != nil { return chosen }
        return resolvePath(chosen, projectDirectory: projectDirectory).path
    }

    /// A location fit to print: a URL's password replaced by `***`.
    public static func displayLocation(_ location: String) -> String {
        guard scheme(of: location) != nil, var parts = URLComponents(string: location), parts.password != nil else { return location }
        parts.password = "***"
        return parts.string ?? location
    }

    /// The default database path for a project: `PROJECT/.looplab/looplab.db`.
    public static func defaultPath(projectDirectory: URL) -> URL {
        projectDirectory.appendingPathComponent(directoryName, isDirectory: true)
            .appendingPathComponent(databaseFileName)
    }

    /// The SQLite database path to use: `chosen` (the command line's `--store`, else
    /// `LOOPLAB_STORE`: LoopLab's `HostSettings` decides) if given, else
    /// ``defaultPath(projectDirectory:)``. Relative paths are taken from the project directory;
    /// an `sqlite:` prefix is allowed.
    public static func resolvePath(_ chosen: String?, projectDirectory: URL) -> URL {
        guard var chosen, !chosen.isEmpty else { return defaultPath(projectDirectory: projectDirectory) }
        if chosen.hasPrefix("sqlite:") { chosen.removeFirst("sqlite:".count) }
        let expanded = (chosen as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
            : projectDirectory.appendingPathComponent(expanded)
        return url.standardizedFileURL
    }

    /// Every SQLite schema migration this version of Looplab knows, oldest first.
    public static var knownSchemaVersions: [String] { SQLiteStore.knownSchemaVersions }

    // MARK: - The backend's operations

    public func close() throws(StoreError) { try backend.close() }

    /// The backend's consistency check (SQLite's `PRAGMA integrity_check`); `["ok"]` when healthy.
    public func integrityCheck() throws(StoreError) -> [String] { try backend.integrityCheck() }

    /// The identifiers of the applied schema migrations, oldest first.
    public func schemaVersions() throws(StoreError) -> [String] { try backend.schemaVersions() }

    public func lastTrialID() throws(StoreError) -> Int64 {
        try backend.lastTrialID()
    }

    public func studyActivity(afterTrialID: Int64) throws(StoreError) -> [StudyActivity] {
        try backend.studyActivity(afterTrialID: afterTrialID)
    }

    @discardableResult
    public func putArtifact(_ data: Data, kind: String, name: String? = nil, now: Date = Date()) throws(StoreError) -> Artifact {
        try backend.putArtifact(data, kind: kind, name: name, now: now)
    }

    @discardableResult
    public func putArtifact(fileAt source: URL, kind: String, name: String? = nil, now: Date = Date()) throws(StoreError) -> Artifact {
        try backend.putArtifact(fileAt: source, kind: kind, name: name, now: now)
    }

    public func attachArtifact(trialID: Int64, role: String, sha256: String, now: Date = Date()) throws(StoreError) {
        try backend.attachArtifact(trialID: trialID, role: role, sha256: sha256, now: now)
    }

    public func trialArtifact(trialID: Int64, role: String) throws(StoreError) -> Artifact? {
        try backend.trialArtifact(trialID: trialID, role: role)
    }

    public func artifact(sha256: String) throws(StoreError) -> Artifact? {
        try backend.artifact(sha256: sha256)
    }

    public func readArtifact(sha256: String) throws(StoreError) -> Data {
        try backend.readArtifact(sha256: sha256)
    }

    public func verifiedArtifactURL(sha256: String) throws(StoreError) -> URL {
        try backend.verifiedArtifactURL(sha256: sha256)
    }

    public func artifactURL(_ artifact: Artifact) throws(StoreError) -> URL {
        try backend.artifactURL(artifact)
    }

    public func snapshot() throws(StoreError) -> StoreSnapshot { try backend.snapshot() }

    public func restore(_ snapshot: StoreSnapshot, bytes: (Artifact) throws(StoreError) -> Data) throws(StoreError) {
        try backend.restore(snapshot, bytes: bytes)
    }

    public func recordTrials(studyID: Int64, _ trials: [(params: [String: JSONValue], metrics: [String: Double], value: Double?)], state: TrialState = .complete, start: Date = Date(), spacing: Double = 1) throws(StoreError) {
        try backend.recordTrials(studyID: studyID, trials, state: state, start: start, spacing: spacing)
    }

    @discardableResult
    public func remember(_ text: String, tags: [String] = [], studyID: Int64? = nil, trialID: Int64? = nil, now: Date = Date()) throws(StoreError) -> Note {
        try backend.remember(text, tags: tags, studyID: studyID, trialID: trialID, now: now)
    }

    @discardableResult
    public func setMemory(_ key: String, to value: JSONValue, tags: [String] = [], now: Date = Date()) throws(StoreError) -> Note {
        try backend.setMemory(key, to: value, tags: tags, now: now)
    }

    public func memory(_ key: String) throws(StoreError) -> JSONValue? {
        try backend.memory(key)
    }

    public func notes(tag: String? = nil, limit: Int = 100) throws(StoreError) -> [Note] {
        try backend.notes(tag: tag, limit: limit)
    }

    public func notes(studyID: Int64) throws(StoreError) -> [Note] {
        try backend.notes(studyID: studyID)
    }

    public func note(id: Int64) throws(StoreError) -> Note? {
        try backend.note(id: id)
    }

    public func countNotes(tag: String) throws(StoreError) -> Int {
        try backend.countNotes(tag: tag)
    }

    @discardableResult
    public func forget(noteID: Int64) throws(StoreError) -> Bool {
        try backend.forget(noteID: noteID)
    }

    public func recall(_ query: String, limit: Int = 20) throws(StoreError) -> [RecallHit] {
        try backend.recall(query, limit: limit)
    }

    @discardableResult
    public func registerModel(_ name: String, passedGate: Bool, gate: JSONValue = [:], metrics: [String: Double] = [:], artifactSHA256: String? = nil, trialID: Int64? = nil, now: Date = Date()) throws(StoreError) -> ModelVersion {
        try backend.registerModel(name, passedGate: passedGate, gate: gate, metrics: metrics, artifactSHA256: artifactSHA256, trialID: trialID, now: now)
    }

    public func champion(model name: String) throws(StoreError) -> ModelVersion? {
        try backend.champion(model: name)
    }

    public func versions(model name: String) throws(StoreError) -> [ModelVersion] {
        try backend.versions(model: name)
    }

    public func version(model name: String, _ version: Int) throws(StoreError) -> ModelVersion? {
        try backend.version(model: name, version)
    }

    public func modelNames() throws(StoreError) -> [String] {
        try backend.modelNames()
    }

    @discardableResult
    public func rollback(model name: String) throws(StoreError) -> ModelVersion? {
        try backend.rollback(model: name)
    }

    public func recordInstall(_ skill: InstalledSkill) throws(StoreError) {
        try backend.recordInstall(skill)
    }

    public func installedSkills() throws(StoreError) -> [InstalledSkill] {
        try backend.installedSkills()
    }

    @discardableResult
    public func removeInstall(name: String, version: String? = nil) throws(StoreError) -> Int {
        try backend.removeInstall(name: name, version: version)
    }

    public func recordSkillUse(skill: String, sha256: String, trialID: Int64, now: Date = Date()) throws(StoreError) {
        try backend.recordSkillUse(skill: skill, sha256: sha256, trialID: trialID, now: now)
    }

    public func skillUses(skill: String, sha256: String? = nil) throws(StoreError) -> [SkillUse] {
        try backend.skillUses(skill: skill, sha256: sha256)
    }

    @discardableResult
    public func recoverStaleTrials(studyID: Int64? = nil, now: Date = Date()) throws(StoreError) -> [Trial] {
        try backend.recoverStaleTrials(studyID: studyID, now: now)
    }

    @discardableResult
    public func openStudy(_ spec: StudySpec, now: Date = Date()) throws(StoreError) -> Study {
        try backend.openStudy(spec, now: now)
    }

    public func study(named name: String) throws(StoreError) -> Study? {
        try backend.study(named: name)
    }

    public func study(id: Int64) throws(StoreError) -> Study? {
        try backend.study(id: id)
    }

    public func studies() throws(StoreError) -> [Study] {
        try backend.studies()
    }

    public func setStopReason(studyID: Int64, _ reason: String?, now: Date = Date()) throws(StoreError) {
        try backend.setStopReason(studyID: studyID, reason, now: now)
    }

    public func changeStamp(studyID: Int64?) throws(StoreError) -> String {
        try backend.changeStamp(studyID: studyID)
    }

    public func startTrial(studyID: Int64, params: [String: JSONValue], seed: Int? = nil, repeatOf: Int? = nil, repeatIndex: Int = 0, now: Date = Date()) throws(StoreError) -> Trial {
        try backend.startTrial(studyID: studyID, params: params, seed: seed, repeatOf: repeatOf, repeatIndex: repeatIndex, now: now)
    }

    public func claimTrial(studyID: Int64, params: [String: JSONValue], maxTrials: Int?, allowRepeat: Bool, now: Date = Date()) throws(StoreError) -> TrialClaim {
        try backend.claimTrial(studyID: studyID, params: params, maxTrials: maxTrials, allowRepeat: allowRepeat, now: now)
    }

    @discardableResult
    public func finishTrial(id: Int64, state: TrialState, metrics: [String: Double] = [:], integerMetrics: Set<String> = [], value: Double? = nil, error: String? = nil, now: Date = Date()) throws(StoreError) -> Trial {
        try backend.finishTrial(id: id, state: state, metrics: metrics, integerMetrics: integerMetrics, value: value, error: error, now: now)
    }

    @discardableResult
    public func recordTrial(studyID: Int64, params: [String: JSONValue], state: TrialState, metrics: [String: Double] = [:], value: Double? = nil, error: String? = nil, seed: Int? = nil, now: Date = Date()) throws(StoreError) -> Trial {
        try backend.recordTrial(studyID: studyID, params: params, state: state, metrics: metrics, value: value, error: error, seed: seed, now: now)
    }

    public func report(trialID: Int64, step: Int, value: Double, now: Date = Date()) throws(StoreError) {
        try backend.report(trialID: trialID, step: step, value: value, now: now)
    }

    public func heartbeat(trialID: Int64, now: Date = Date()) throws(StoreError) {
        try backend.heartbeat(trialID: trialID, now: now)
    }

    public func trial(id: Int64) throws(StoreError) -> Trial? {
        try backend.trial(id: id)
    }

    public func trials(studyID: Int64, states: Set<TrialState>? = nil) throws(StoreError) -> [Trial] {
        try backend.trials(studyID: studyID, states: states)
    }

    public func trials(studyID: Int64, fromNumber number: Int) throws(StoreError) -> [Trial] {
        try backend.trials(studyID: studyID, fromNumber: number)
    }

    public func bestTrial(studyID: Int64) throws(StoreError) -> Trial? {
        try backend.bestTrial(studyID: studyID)
    }

    public func bestConfiguration(studyID: Int64) throws(StoreError) -> (trial: Trial, mean: Double, runs: Int)? {
        try backend.bestConfiguration(studyID: studyID)
    }

    public func reports(trialID: Int64) throws(StoreError) -> [TrialReport] {
        try backend.reports(trialID: trialID)
    }

    public func reports(trialIDs: [Int64]) throws(StoreError) -> [TrialReport] {
        try backend.reports(trialIDs: trialIDs)
    }

    public func reports(studyID: Int64) throws(StoreError) -> [TrialReport] {
        try backend.reports(studyID: studyID)
    }
}
