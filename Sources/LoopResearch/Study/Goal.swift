/// What a study optimises: one metric and a direction, as `maximize("accuracy")` or
/// `minimize("loss")` say it.
public struct Goal: Hashable, Sendable, CustomStringConvertible {
    public enum Direction: String, Hashable, Sendable, CaseIterable {
        case minimize, maximize
    }

    public var metric: String
    public var direction: Direction

    public init(_ direction: Direction, _ metric: String) {
        self.metric = metric
        self.direction = direction
    }

    public static func minimize(_ metric: String) -> Goal { Goal(.minimize, metric) }
    public static func maximize(_ metric: String) -> Goal { Goal(.maximize, metric) }

    /// The value samplers minimise: the metric itself, or its negation when it is maximised.
    public func objective(_ value: Double) -> Double { direction == .minimize ? value : -value }

    /// Whether `candidate` beats `incumbent` by more than `minDelta` in this direction.
    public func improves(_ candidate: Double, on incumbent: Double?, minDelta: Double = 0) -> Bool {
        guard candidate.isFinite else { return false }
        guard let incumbent else { return true }
        return objective(candidate) < objective(incumbent) - minDelta
    }

    public var description: String { "\(direction.rawValue)(\"\(metric)\")" }
}
