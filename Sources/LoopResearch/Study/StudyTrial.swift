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
    /// The metrics given as whole numbers (`epochs: 5`), shown back as Ints.
    public var integerMetrics: Set<String> = []
    /// The goal metric's value (what the study ranks by), when the trial completed.
    public var value: Double?
    /// Why the trial failed, or why it became stale.
    public var error: String?
    /// For a repeat (`repeats: k`): the number of the trial whose configuration it runs again.
    public var repeatOf: Int?
    /// 0 for a proposed configuration; 1, 2, ... for its repeats.
    public var repeatIndex: Int
    /// Wall-clock seconds from start to finish, once finished (when the store or the study
    /// measured it): what the cost-aware strategy models.
    public var seconds: Double?

    public init(id: Int64, number: Int, config: Config, status: TrialStatus = .running,
                metrics: [String: Double] = [:], value: Double? = nil, error: String? = nil,
                repeatOf: Int? = nil, repeatIndex: Int = 0) {
        self.id = id
        self.number = number
        self.config = config
        self.status = status
        self.metrics = metrics
        self.value = value
        self.error = error
        self.repeatOf = repeatOf
        self.repeatIndex = repeatIndex
    }

    /// Whether this trial runs an earlier trial's configuration again with a new seed.
    public var isRepeat: Bool { repeatOf != nil }
}
