import Foundation

/// How far a study has got, in one cheap read: what a launcher of several workers shows as its
/// combined status line.
public struct StudyActivity: Sendable, Equatable {
    public var name: String
    public var goalMetric: String?
    public var goalDirection: GoalDirection
    /// Trials of the study by state (every trial, whichever process ran it).
    public var counts: [TrialState: Int]
    /// The best value among complete trials, in the goal's direction.
    public var best: Double?
    /// The distinct processes (host and pid) with a trial still running.
    public var runningOwners: Int

    public var total: Int { counts.values.reduce(0, +) }

    public init(name: String, goalMetric: String? = nil, goalDirection: GoalDirection, counts: [TrialState: Int], best: Double? = nil, runningOwners: Int) {
        self.name = name
        self.goalMetric = goalMetric
        self.goalDirection = goalDirection
        self.counts = counts
        self.best = best
        self.runningOwners = runningOwners
    }
}
