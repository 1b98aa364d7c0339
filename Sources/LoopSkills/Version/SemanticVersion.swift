/// A `major.minor.patch` version, as skills and packs carry.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    /// Which component a change bumps.
    public enum Component: Sendable { case major, minor, patch }

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses exactly three dot-separated decimal components (`1.2.3`); nil otherwise.
    public init?(_ text: String) {
        guard let parts = Self.components(text), parts.count == 3 else { return nil }
        self.init(parts[0], parts[1], parts[2])
    }

    /// One to three decimal components, or nil; shared with requirement parsing (`^1.2`).
    static func components(_ text: String) -> [Int]? {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(pieces.count) else { return nil }
        var numbers: [Int] = []
        for piece in pieces {
            guard !piece.isEmpty, piece.count <= 9, piece.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(piece) else { return nil }
            numbers.append(n)
        }
        return numbers
    }

    /// The next version after a change of the given size (`1.2.3` → major `2.0.0`, minor `1.3.0`).
    public func bumped(_ component: Component) -> SemanticVersion {
        switch component {
        case .major: return SemanticVersion(major + 1, 0, 0)
        case .minor: return SemanticVersion(major, minor + 1, 0)
        case .patch: return SemanticVersion(major, minor, patch + 1)
        }
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public static let zero = SemanticVersion(0, 0, 0)
}
