/// A Cargo/npm-style version requirement: `1.2.3`/`=1.2.3` (exact; a partial `=1.2` is `1.2.x`),
/// `^1.2`, `~1.2`, `>=1.0`, `>1`, `<2`, `<=1.4`, comma-separated conjunctions, and `*`.
public struct VersionRequirement: Sendable, Hashable, CustomStringConvertible {
    /// Each comparator is a half-open interval `[lower, upper)`; `upper == nil` is unbounded.
    struct Interval: Sendable, Hashable {
        let lower: SemanticVersion
        let upper: SemanticVersion?

        func contains(_ v: SemanticVersion) -> Bool { v >= lower && upper.map { v < $0 } ?? true }
    }

    let intervals: [Interval]
    /// The requirement as written, trimmed.
    public let text: String

    /// Any version.
    public static let any = VersionRequirement(intervals: [], text: "*")

    init(intervals: [Interval], text: String) {
        self.intervals = intervals
        self.text = text
    }

    /// Parses a requirement; nil when any comparator is malformed.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return nil }
        var intervals: [Interval] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let comparator = String(part).trimmingSpaces
            if comparator == "*" { continue }
            guard let interval = Self.interval(comparator) else { return nil }
            intervals.append(interval)
        }
        self.init(intervals: intervals, text: trimmed)
    }

    /// The requirement that exactly `version` satisfies.
    public init(exactly version: SemanticVersion) {
        self.init(intervals: [Interval(lower: version, upper: version.bumped(.patch))], text: "=\(version)")
    }

    public func matches(_ version: SemanticVersion) -> Bool { intervals.allSatisfy { $0.contains(version) } }

    public var description: String { text }

    private static func interval(_ comparator: String) -> Interval? {
        let operators = [">=", "<=", ">", "<", "=", "^", "~"]
        let op = operators.first { comparator.hasPrefix($0) } ?? ""
        let rest = String(comparator.dropFirst(op.count)).trimmingSpaces
        guard let parts = SemanticVersion.components(rest) else { return nil }
        let low = SemanticVersion(parts[0], parts.count > 1 ? parts[1] : 0, parts.count > 2 ? parts[2] : 0)
        // The first version past everything the written components allow (`1.2` → `1.3.0`).
        let next: SemanticVersion
        switch parts.count {
        case 1: next = low.bumped(.major)
        case 2: next = low.bumped(.minor)
        default: next = low.bumped(.patch)
        }
        switch op {
        case "", "=": return Interval(lower: low, upper: next)
        case ">=": return Interval(lower: low, upper: nil)
        case ">": return Interval(lower: next, upper: nil)
        case "<": return Interval(lower: .zero, upper: low)
        case "<=": return Interval(lower: .zero, upper: next)
        case "~": return Interval(lower: low, upper: parts.count == 1 ? low.bumped(.major) : low.bumped(.minor))
        default:
            // `^`: the leftmost non-zero component written may not change.
            if low.major > 0 || parts.count == 1 { return Interval(lower: low, upper: low.bumped(.major)) }
            if low.minor > 0 || parts.count == 2 { return Interval(lower: low, upper: low.bumped(.minor)) }
            return Interval(lower: low, upper: low.bumped(.patch))
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
