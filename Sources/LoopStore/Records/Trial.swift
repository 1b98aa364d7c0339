import Foundation
import GRDB
import LoopSupport

/// The life cycle of a trial. Only `running` trials change state; the others are final.
public enum TrialState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case running, complete, failed, pruned, diverged, interrupted
    /// Left `running` by a process that died or stopped heartbeating; its configuration should be
    /// proposed again.
    case stale

    /// Whether a trial in this state is finished for good.
    public var isFinished: Bool { self != .running && self != .stale }
}

/// One evaluated (or running) configuration of a study (one row of `trials`).
public struct Trial: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var studyID: Int64
    /// 0, 1, 2, ... within the study, in start order.
    public var number: Int
    public var params: [String: JSONValue]
    public var state: TrialState
    public var metrics: [String: Double]
    /// The metrics that were given as whole numbers (`epochs: 5`), read back as Ints.
    public var integerMetrics: Set<String> = []
    /// The goal metric's value (the one the study ranks by), when known.
    public var value: Double?
    public var error: String?
    public var seed: Int?
    public var startedAt: Date
    public var finishedAt: Date?
    /// Renewed by ``Store/heartbeat(trialID:)`` and by each report; see ``Store/Options/trialLease``.
    public var heartbeatAt: Date
    /// The process that runs (or ran) the trial.
    public var pid: Int32?
    public var host: String?
    /// For a repeat: the `number` of the trial whose configuration it runs again (schema v3).
    public var repeatOf: Int?
    /// 0 for a proposed configuration, 1, 2, ... for its repeats.
    public var repeatIndex: Int = 0

    public init(id: Int64, studyID: Int64, number: Int, params: [String: JSONValue], state: TrialState, metrics: [String: Double], integerMetrics: Set<String> = [], value: Double? = nil, error: String? = nil, seed: Int? = nil, startedAt: Date, finishedAt: Date? = nil, heartbeatAt: Date, pid: Int32? = nil, host: String? = nil, repeatOf: Int? = nil, repeatIndex: Int = 0) {
        self.id = id
        self.studyID = studyID
        self.number = number
        self.params = params
        self.state = state
        self.metrics = metrics
        self.integerMetrics = integerMetrics
        self.value = value
        self.error = error
        self.seed = seed
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.heartbeatAt = heartbeatAt
        self.pid = pid
        self.host = host
        self.repeatOf = repeatOf
        self.repeatIndex = repeatIndex
    }
}

extension Trial: StoreRecord {
    public static let databaseTableName = "trials"

    /// The `trials` table's columns in their order: every query reads `SELECT *` from `trials`,
    /// and SQLite gives the columns in the table's order (migrations only append), so a row is
    /// read by position. A test checks this list against the schema.
    public static let columnOrder = ["id", "study_id", "number", "params", "state", "metrics", "value", "error", "seed",
                                     "started_at", "finished_at", "heartbeat_at", "pid", "host", "repeat_of", "repeat_index"]

    /// Read by position: a study of 10,000 trials is read whole by `looplab report` and the
    /// dashboard, and the generic `Decodable` path, then lookups by column name, cost most of it.
    /// A query may add columns after the table's (`SELECT t.*, s.name ...`).
    public init(row: Row) throws {
        guard row.count >= Trial.columnOrder.count else {
            throw StoreError.invalidJSON(column: "trials", reason: "expected at least \(Trial.columnOrder.count) columns, got \(row.count)")
        }
        id = row[0]
        studyID = row[1]
        number = row[2]
        let paramsText: String = row[3]
        guard case .object(let fields)? = JSONValue(json: paramsText) else {
            throw StoreError.invalidJSON(column: "trials.params", reason: "not a JSON object: \(paramsText.prefix(80))")
        }
        params = fields
        state = row[4]
        let metricsText: String = row[5]
        guard let metricsValue = JSONValue(json: metricsText) else {
            throw StoreError.invalidJSON(column: "trials.metrics", reason: "not JSON: \(metricsText.prefix(80))")
        }
        metrics = metricsValue.metricNumbers
        integerMetrics = metricsValue.integerFields
        value = row[6]
        error = row[7]
        seed = row[8]
        startedAt = row[9]
        finishedAt = row[10]
        heartbeatAt = row[11]
        pid = row[12]
        host = row[13]
        repeatOf = row[14]
        repeatIndex = row[15] ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case id, number, params, state, metrics, value, error, seed, pid, host
        case studyID = "study_id", startedAt = "started_at", finishedAt = "finished_at"
        case heartbeatAt = "heartbeat_at"
        case repeatOf = "repeat_of", repeatIndex = "repeat_index"
    }
}

/// An intermediate value reported while a trial trains (one row of `trial_reports`).
public struct TrialReport: Sendable, Hashable {
    public var trialID: Int64
    public var step: Int
    public var value: Double?
    public var reportedAt: Date

    public init(trialID: Int64, step: Int, value: Double? = nil, reportedAt: Date) {
        self.trialID = trialID
        self.step = step
        self.value = value
        self.reportedAt = reportedAt
    }
}

extension TrialReport: StoreRecord {
    public static let databaseTableName = "trial_reports"
    enum CodingKeys: String, CodingKey {
        case step, value
        case trialID = "trial_id", reportedAt = "reported_at"
    }
}

/// What ``Store/claimTrial(studyID:params:maxTrials:allowRepeat:now:)`` did.
public enum TrialClaim: Sendable {
    /// A new running trial.
    case started(Trial)
    /// The study already holds `count` trials that are neither stale nor repeats.
    case limitReached(count: Int)
    /// The trial that already has these parameters.
    case taken(by: Trial)
    /// The claim found trials whose processes are gone, marked them `stale` and started nothing:
    /// propose again, their configurations first (they free their places).
    case orphansFound([Trial])
}
