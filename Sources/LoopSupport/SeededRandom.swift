import Glibc

/// The one seeded random source: the xoshiro256** generator (Blackman & Vigna, 2018), seeded
/// through SplitMix64. Every random draw that a seed must reproduce goes through it: LoopTrain's
/// initialisation, dropout, shuffling, splits and sampling, and LoopResearch's samplers.
///
/// Why this generator: it is small, fast, passes BigCrush, and is fully specified, so a seed means
/// the same numbers on every platform and in every release. Swift's `SystemRandomNumberGenerator`
/// cannot be seeded.
///
/// Seeding: the 256-bit state is the first four outputs of SplitMix64 started at `seed`
/// (`x += 0x9E3779B97F4A7C15; z = x; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
/// z = (z ^ (z >> 27)) * 0x94D049BB133111EB; z ^ (z >> 31)`), as the authors recommend; this can
/// never give the forbidden all-zero state.
///
/// Derived draws:
/// - `nextFloat()`: the top 24 bits of `next()` times 2⁻²⁴, uniform on [0, 1) and exactly
///   representable.
/// - `nextNormal()`: Box–Muller on two `nextDouble()` draws (u1 in (0, 1], u2 in [0, 1)),
///   computed in `Double`; both outputs of a pair are used, the second cached for the next call.
/// - `nextInt(below:)`: Lemire's nearly-divisionless unbiased method, written out here so the
///   sequence does not depend on the standard library's implementation.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    private var cachedNormal: Double?

    /// A generator whose whole output sequence is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform on [0, 1) with 24 bits of resolution.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform on [0, 1) with 53 bits of resolution.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal sample (Box–Muller).
    public mutating func nextNormal() -> Float {
        if let cached = cachedNormal {
            cachedNormal = nil
            return Float(cached)
        }
        let u1 = 1 - nextDouble()  // (0, 1]: log(u1) is finite
        let u2 = nextDouble()
        let r = (-2 * Glibc.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        cachedNormal = r * Glibc.sin(theta)
        return Float(r * Glibc.cos(theta))
    }

    /// Uniform integer in 0..<bound (unbiased).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let s = UInt64(bound)
        var m = next().multipliedFullWidth(by: s)
        if m.low < s {
            let threshold = (0 &- s) % s
            while m.low < threshold { m = next().multipliedFullWidth(by: s) }
        }
        return Int(m.high)
    }

    /// An independent generator for a sub-task (e.g. one per layer), derived from this one's output.
    public mutating func fork() -> SeededRandom {
        SeededRandom(seed: next())
    }

    // The samplers' draws (LoopResearch). Their sequences are pinned by seeded studies, so they
    // keep their own definitions beside the training ones above.

    /// Uniform in [0, 1) with 53 random bits (the same as `nextDouble()`).
    public mutating func uniform() -> Double { nextDouble() }

    /// Uniform integer in `0..<bound` (`bound > 0`), by the standard library's `next(upperBound:)`.
    public mutating func int(below bound: Int) -> Int { Int(next(upperBound: UInt64(bound))) }

    /// Standard normal in Double precision, one Box–Muller value per call (no cached pair, so the
    /// stream position is simple to reason about).
    public mutating func normal() -> Double {
        let u1 = 1.0 - uniform()  // (0, 1]: log stays finite
        let u2 = uniform()
        return (-2.0 * Glibc.log(u1)).squareRoot() * Glibc.cos(2.0 * Double.pi * u2)
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension Array {
    /// Fisher–Yates shuffle driven by a seeded generator (same seed, same order on every platform).
    public mutating func seededShuffle(using rng: inout SeededRandom) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            swapAt(i, rng.nextInt(below: i + 1))
        }
    }
}
