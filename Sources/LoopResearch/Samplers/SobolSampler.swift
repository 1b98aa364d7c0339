import LoopSupport

/// Scrambled Sobol points: low-discrepancy coverage that fills the space more evenly than random.
///
/// The i-th proposal of a study is point `history.count + i` of one scrambled sequence (linear
/// matrix scramble plus a random digital shift, as SciPy's `qmc.Sobol(scramble=True)` does), so a
/// resumed study continues the same sequence. `seed` picks the scramble; it must stay the same for
/// a study. Categorical parameters take the bucket of their coordinate. Up to
/// `SobolSampler.maxDimensions` parameters use Sobol coordinates; further ones are drawn at random.
public struct SobolSampler: Sampler {
    public var name: String { "sobol" }
    public var seed: UInt64

    public static var maxDimensions: Int { JoeKuo.table.count + 1 }

    public init(seed: UInt64 = 0) { self.seed = seed }

    public func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        let sequence = SobolSequence(dimensions: min(space.parameters.count, Self.maxDimensions), seed: seed)
        var index = UInt32(truncatingIfNeeded: history.count)
        var batch = ProposalBatch(history: history, allowRepeat: allowRepeat)
        batch.fill(n, space: space, rng: &rng) { rng, _ in
            var u = sequence.point(index)
            index &+= 1
            while u.count < space.parameters.count { u.append(rng.uniform()) }
            for (d, p) in space.parameters.enumerated() {
                if let count = p.distribution.count, !p.distribution.isNumeric { u[d] = Double(min(Int(u[d] * Double(count)), count - 1)) }
            }
            return space.config(fromUnit: u)
        }
        return batch.configs
    }
}

/// The (scrambled) Sobol sequence in base 2 with 32-bit digits.
public struct SobolSequence: Sendable {
    /// Direction numbers per dimension, after scrambling: `v[d][k]` for bit k of the index.
    private var v: [[UInt32]]
    private var shift: [UInt32]

    /// `seed == nil` gives the plain (unscrambled) sequence, whose point 0 is the origin.
    public init(dimensions: Int, seed: UInt64?) {
        precondition(dimensions <= JoeKuo.table.count + 1, "Sobol: at most \(JoeKuo.table.count + 1) dimensions")
        var rng = SeededRandom(seed: seed ?? 0)
        v = (0..<dimensions).map { SobolSequence.directions(dimension: $0) }
        shift = [UInt32](repeating: 0, count: dimensions)
        guard seed != nil else { return }
        for d in 0..<dimensions {
            // Linear matrix scramble: output digit r mixes input digits 0...r through a random
            // lower-triangular matrix with unit diagonal (digit 0 = most significant bit).
            let rows: [UInt32] = (0..<32).map { r in
                let above: UInt32 = r == 0 ? 0 : ~UInt32(0) << UInt32(32 - r)
                return (UInt32(truncatingIfNeeded: rng.next()) & above) | (UInt32(1) << UInt32(31 - r))
            }
            v[d] = v[d].map { column in
                var out: UInt32 = 0
                for r in 0..<32 where (rows[r] & column).nonzeroBitCount & 1 == 1 { out |= UInt32(1) << UInt32(31 - r) }
                return out
            }
            shift[d] = UInt32(truncatingIfNeeded: rng.next())
        }
    }

    /// Point `index` in [0, 1)^dimensions.
    public func point(_ index: UInt32) -> [Double] {
        v.indices.map { d in
            var x = shift[d]
            var i = index
            var k = 0
            while i != 0 {
                if i & 1 == 1 { x ^= v[d][k] }
                i >>= 1
                k += 1
            }
            return (Double(x) + 0.5) * 0x1p-32
        }
    }

    /// Joe–Kuo construction: the first s direction numbers are m_k / 2^k, the rest follow the
    /// recurrence of the primitive polynomial with coefficients `a`.
    static func directions(dimension d: Int) -> [UInt32] {
        if d == 0 { return (0..<32).map { UInt32(1) << UInt32(31 - $0) } }
        let (s, a, m) = JoeKuo.table[d - 1]
        var v = [UInt32](repeating: 0, count: 32)
        for k in 0..<min(s, 32) { v[k] = m[k] << UInt32(31 - k) }
        if s < 32 {
            for k in s..<32 {
                var x = v[k - s] ^ (v[k - s] >> UInt32(s))
                for i in 1..<s where (a >> UInt32(s - 1 - i)) & 1 == 1 { x ^= v[k - i] }
                v[k] = x
            }
        }
        return v
    }
}

/// Direction numbers for dimensions 2...32 from S. Joe and F. Y. Kuo, "Constructing Sobol sequences
/// with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008), file
/// `new-joe-kuo-6.21201` (https://web.maths.unsw.edu.au/~fkuo/sobol/): degree s of the primitive
/// polynomial, its coefficients a, and the initial m_1...m_s.
enum JoeKuo {
    static let table: [(s: Int, a: UInt32, m: [UInt32])] = [
        (1, 0, [1]),
        (2, 1, [1, 3]),
        (3, 1, [1, 3, 1]),
        (3, 2, [1, 1, 1]),
        (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]),
        (5, 2, [1, 1, 5, 5, 17]),
        (5, 4, [1, 1, 5, 5, 5]),
        (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]),
        (5, 13, [1, 1, 1, 3, 11]),
        (5, 14, [1, 3, 5, 5, 31]),
        (6, 1, [1, 3, 3, 9, 7, 49]),
        (6, 13, [1, 1, 1, 15, 21, 21]),
        (6, 16, [1, 3, 1, 13, 27, 49]),
        (6, 19, [1, 1, 1, 15, 7, 5]),
        (6, 22, [1, 3, 1, 15, 13, 25]),
        (6, 25, [1, 1, 5, 5, 19, 61]),
        (7, 1, [1, 3, 7, 11, 23, 15, 103]),
        (7, 4, [1, 3, 7, 13, 13, 15, 69]),
        (7, 7, [1, 1, 3, 13, 7, 35, 63]),
        (7, 8, [1, 3, 5, 9, 1, 25, 53]),
        (7, 14, [1, 3, 1, 13, 9, 35, 107]),
        (7, 19, [1, 3, 1, 5, 27, 61, 31]),
        (7, 21, [1, 1, 5, 11, 19, 41, 61]),
        (7, 28, [1, 3, 5, 3, 3, 13, 69]),
        (7, 31, [1, 1, 7, 13, 1, 19, 1]),
        (7, 32, [1, 3, 7, 5, 13, 19, 59]),
        (7, 37, [1, 1, 3, 9, 25, 29, 41]),
        (7, 41, [1, 3, 5, 13, 23, 1, 55]),
        (7, 42, [1, 3, 7, 3, 13, 59, 17]),
    ]
}
