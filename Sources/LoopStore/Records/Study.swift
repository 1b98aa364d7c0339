import Foundation
import GRDB
import LoopSupport

/// Whether a study's goal metric should go down or up.
public enum GoalDirection: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case minimize, maximize

    /// True when `candidate` is strictly better than `incumbent` in this direction.
    public func isBetter(_ candidate: Double, than incumbent: Double) -> Bool {
        self == .minimize ? candidate < incumbent : candidate > incumbent
    }
}

/// A named search over a space of configurations (one row of `studies`).
public struct Study: Sendable, Hashable, Identifiable {
    public var id: Int64
    /// Unique within the store; re-running a script reopens the study by name.
    public var name: String
    public var description: String
    /// The search space, as the research engine serialises it.
    public var space: JSONValue
    /// The metric the study optimises (e.g. `accuracy`), if any.
    public var goalMetric: String?
    public var goalDirection: GoalDirection
    public var strategy: String
    public var seed: Int?
    /// Guardrails and other settings (`max_trials`, `patience`, ...), as JSON.
    public var settings: JSONValue
    /// Why the study stopped last (a guardrail's name), or `nil` while it may go on.
    public var stopReason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, name: String, description: String, space: JSONValue, goalMetric: String? = nil, goalDirection: GoalDirection, strategy: String, seed: Int? = nil, settings: JSONValue, stopReason: String? = nil, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.space = space
        self.goalMetric = goalMetric
        self.goalDirection = goalDirection
        self.strategy = strategy
        self.seed = seed
        self.settings = settings
        self.stopReason = stopReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension Study: StoreRecord {
    public static let databaseTableName = "studies"
    enum CodingKeys: String, CodingKey {
        case id, name, description, space, strategy, seed, settings
        case goalMetric = "goal_metric", goalDirection = "goal_direction", stopReason = "stop_reason"
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// What a script declares about a study; ``Store/openStudy(_:)`` creates or reopens it.
public struct StudySpec: Sendable, Hashable {
    public var name: String
    public var description: String
    public var space: JSONValue
    public var goalMetric: String?
    public var goalDirection: GoalDirection
    public var strategy: String
    public var seed: Int?
    public var settings: JSONValue

    public init(name: String, description: String = "", space: JSONValue = [:], goalMetric: String? = nil,
                goalDirection: GoalDirection = .minimize, strategy: String = "random", seed: Int? = nil,
                settings: JSONValue = [:]) {
        self.name = name
        self.description = description
        self.space = space
        self.goalMetric = goalMetric
        self.goalDirection = goalDirection
        self.strategy = strategy
        self.seed = seed
        self.settings = settings
    }
}
