import Foundation
import GRDB

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
}

extension Trial: StoreRecord {
    public static let databaseTableName = "trials"

    /// Read column by column: a study of 10,000 trials is read whole by `looplab report` and
    /// by every study that opens, and the generic `Decodable` path cost most of that time.
    public init(row: Row) throws {
        id = row["id"]
        studyID = row["study_id"]
        number = row["number"]
        let paramsText: String = row["params"]
        guard case .object(let fields)? = JSONValue(json: paramsText) else {
            throw StoreError.invalidJSON(column: "trials.params", reason: "not a JSON object: \(paramsText.prefix(80))")
        }
        params = fields
        state = row["state"]
        let metricsText: String = row["metrics"]
        guard let metricsValue = JSONValue(json: metricsText) else {
            throw StoreError.invalidJSON(column: "trials.metrics", reason: "not JSON: \(metricsText.prefix(80))")
        }
        metrics = metricsValue.metricNumbers
        value = row["value"]
        error = row["error"]
        seed = row["seed"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        heartbeatAt = row["heartbeat_at"]
        pid = row["pid"]
        host = row["host"]
        repeatOf = row["repeat_of"]
        repeatIndex = row["repeat_index"] ?? 0
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
}
