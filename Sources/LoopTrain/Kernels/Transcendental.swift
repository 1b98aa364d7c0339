// Vectorised exp, tanh and erf for `SIMD16<Float>`. libm has no vector entry points Swift can
// reach portably, and calling scalar expf per lane would make every activation memory-latency
// bound on a call. Accuracy: exp ≤ 2 ulp (Cephes polynomial), tanh ≤ ~2e-7 absolute, erf ≤ 1.5e-7
// absolute (Abramowitz & Stegun 7.1.26) — all below what float32 training can see.

@inline(__always) func vabs(_ x: V16) -> V16 {
    unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: V16.self)
}

@inline(__always) func vexp(_ x: V16) -> V16 {
    // exp(x) = 2^n · exp(r), n = round(x / ln 2), |r| ≤ ln2 / 2.
    let clamped = vmin(vmax(x, V16(repeating: -87.33654)), V16(repeating: 88.37626))
    let magic = V16(repeating: 12_582_912)  // 1.5 · 2^23: adding it rounds to an integer in the low bits
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    var r = clamped - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p = V16(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_1e-1
    let y = p * (r * r) + r + 1
    let bits = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
    let scale = unsafeBitCast((bits &+ 127) &<< 23, to: V16.self)
    return y * scale
}

@inline(__always) func vtanh(_ x: V16) -> V16 {
    let ax = vmin(vabs(x), V16(repeating: 9))
    // Large |x|: 1 − 2/(e^{2|x|} + 1), no cancellation there.
    var large = 1 - 2 / (vexp(ax + ax) + 1)
    large.replace(with: -large, where: x .< 0)
    // Small |x| (< 0.625): Cephes' odd polynomial, which keeps relative accuracy near 0.
    let z = x * x
    var p = V16(repeating: -5.704_988_72e-3)
    p = p * z + 2.063_908_88e-2
    p = p * z - 5.373_971_56e-2
    p = p * z + 1.333_144_22e-1
    p = p * z - 3.333_328_19e-1
    let small = p * z * x + x
    return small.replacing(with: large, where: ax .>= 0.625)
}

@inline(__always) func verf(_ x: V16) -> V16 {
    let ax = vabs(x)
    let t = 1 / (1 + 0.327_591_1 * ax)
    var p = V16(repeating: 1.061_405_429)
    p = p * t - 1.453_152_027
    p = p * t + 1.421_413_741
    p = p * t - 0.284_496_736
    p = p * t + 0.254_829_592
    let y = 1 - p * t * vexp(-(ax * ax))
    return y.replacing(with: -y, where: x .< 0)
}

@inline(__always) func vsigmoid(_ x: V16) -> V16 {
    1 / (1 + vexp(-x))
}

/// √x for x ≥ 0 (≤ 2 ulp; 0 for 0). `SIMD.squareRoot()` is lowered lane by lane with a branch per
/// lane on this toolchain, which made the Adam update slower than the GEMMs it follows; this is a
/// bit-trick reciprocal square root estimate refined by two Newton steps (error 3e-3 → 2e-5 →
/// below float resolution), then x·(1/√x).
@inline(__always) func vsqrt(_ x: V16) -> V16 {
    let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
    var y = unsafeBitCast(0x5F37_5A86 &- (bits &>> 1), to: V16.self)
    let half = 0.5 * x
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    let r = x * y
    // One Newton step on the square root itself removes the last bit of error.
    return V16().replacing(with: 0.5 * (r + x / r), where: x .> 0)
}
