/// The life cycle of a trial, with the names the store and the language use.
public enum TrialStatus: String, Hashable, Sendable, CaseIterable {
    case running, complete, failed, pruned, diverged, interrupted
    /// Left `running` by a process that died; its configuration is proposed again.
    case stale

    /// Whether the trial is over for good (everything except `running` and `stale`).
    public var isFinished: Bool { self != .running && self != .stale }
    /// Whether the trial ended in an error of some kind (what `max_failures` counts).
    public var isFailure: Bool { self == .failed || self == .diverged }
}

/// One configuration a study tried (or is trying), as the research engine sees it.
public struct StudyTrial: Hashable, Sendable {
    /// The store's key for the trial (unique across studies).
    public var id: Int64
    /// 0, 1, 2, ... within the study, in start order.
    public var number: Int
    public var config: Config
    public var status: TrialStatus
    /// Metric name to value, as the trial reported them.
    public var metrics: [String: Double]
    /// The goal metric's value (what the study ranks by), when the trial completed.
    public var value: Double?
    /// Why the trial failed, or why it became stale.
    public var error: String?

    public init(id: Int64, number: Int, config: Config, status: TrialStatus = .running,
                metrics: [String: Double] = [:], value: Double? = nil, error: String? = nil) {
        self.id = id
        self.number = number
        self.config = config
        self.status = status
        self.metrics = metrics
        self.value = value
        self.error = error
    }
}
