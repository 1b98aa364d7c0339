// Loading and storing `SIMD16<Float>` through raw pointers, and the loop skeletons every
// element-wise kernel is built from. The tail (count not a multiple of 16) goes through a
// zero-padded vector, so each kernel is written once, as a function of one vector.

typealias V16 = SIMD16<Float>

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> V16 {
    UnsafeRawPointer(p).loadUnaligned(as: V16.self)
}

@inline(__always) func store16(_ v: V16, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V16.self)
}

// Horizontal reductions by halving (16 → 8 → 4 → 2 → 1 lanes): `SIMD.sum()` and `.max()` are
// lowered lane by lane on this toolchain (a compare-and-branch per lane for max), which made the
// per-row reductions of softmax and attention cost more than the arithmetic around them.

/// Σ lanes, in a fixed order.
@inline(__always) func hsum(_ v: V16) -> Float {
    let a = v.lowHalf + v.highHalf
    let b = a.lowHalf + a.highHalf
    let c = b.lowHalf + b.highHalf
    return c[0] + c[1]
}

/// The largest lane.
@inline(__always) func hmax(_ v: V16) -> Float {
    let a = v.lowHalf.replacing(with: v.highHalf, where: v.lowHalf .< v.highHalf)
    let b = a.lowHalf.replacing(with: a.highHalf, where: a.lowHalf .< a.highHalf)
    let c = b.lowHalf.replacing(with: b.highHalf, where: b.lowHalf .< b.highHalf)
    return c[0] < c[1] ? c[1] : c[0]
}

// Lane-wise max and min. The standard library's `pointwiseMax`/`pointwiseMin` of two non-constant
// vectors compile to a lane-by-lane loop through the stack on this toolchain (a 576-byte frame
// and a branch per lane); a compare and `replacing` is one `vmaxps`/`vminps`.

@inline(__always) func vmax(_ a: V16, _ b: V16) -> V16 { a.replacing(with: b, where: a .< b) }
@inline(__always) func vmin(_ a: V16, _ b: V16) -> V16 { a.replacing(with: b, where: b .< a) }

/// 1 in lanes `0..<count`, 0 in the others (any `count`), by arithmetic: a lane mask built with
/// `.<` and `replacing(where:)` on lane indices is lowered lane by lane here.
@inline(__always) func laneMask(_ count: Int) -> V16 {
    let lanes = V16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    return vmin(vmax(V16(repeating: Float(count)) - lanes, V16()), V16(repeating: 1))
}

@inline(__always) func loadPartial(_ p: UnsafePointer<Float>, _ count: Int) -> V16 {
    var v = V16()
    for i in 0..<count { v[i] = p[i] }
    return v
}

@inline(__always) func storePartial(_ v: V16, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count { p[i] = v[i] }
}

/// `y[i] = f(x[i])`, 16 lanes at a time. `y` may alias `x`.
@inline(__always) func map16(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                             _ f: (V16) -> V16) {
    var i = 0
    while i + 16 <= n { store16(f(load16(x + i)), y + i); i += 16 }
    if i < n { storePartial(f(loadPartial(x + i, n - i)), y + i, n - i) }
}

/// `z[i] = f(x[i], y[i])`, 16 lanes at a time. `z` may alias either input.
@inline(__always) func map16(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                             _ z: UnsafeMutablePointer<Float>, _ f: (V16, V16) -> V16) {
    var i = 0
    while i + 16 <= n { store16(f(load16(x + i), load16(y + i)), z + i); i += 16 }
    if i < n { storePartial(f(loadPartial(x + i, n - i), loadPartial(y + i, n - i)), z + i, n - i) }
}

/// `w[i] = f(x[i], y[i], z[i])`. `w` may alias any input.
@inline(__always) func map16(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafePointer<Float>,
                             _ w: UnsafeMutablePointer<Float>, _ f: (V16, V16, V16) -> V16) {
    var i = 0
    while i + 16 <= n { store16(f(load16(x + i), load16(y + i), load16(z + i)), w + i); i += 16 }
    if i < n {
        let r = n - i
        storePartial(f(loadPartial(x + i, r), loadPartial(y + i, r), loadPartial(z + i, r)), w + i, r)
    }
}

/// Σ f(x[i]) with 16 lane-wise partial sums (fixed order, so deterministic); the padding lanes of
/// the tail must map to 0 under `f`'s use (the zero-padded tail is masked out explicitly).
@inline(__always) func reduce16(_ n: Int, _ x: UnsafePointer<Float>, _ f: (V16) -> V16) -> Float {
    var acc0 = V16(), acc1 = V16()
    var i = 0
    while i + 32 <= n { acc0 += f(load16(x + i)); acc1 += f(load16(x + i + 16)); i += 32 }
    while i + 16 <= n { acc0 += f(load16(x + i)); i += 16 }
    if i < n {
        acc1 += f(loadPartial(x + i, n - i)) * laneMask(n - i)
    }
    return hsum(acc0 + acc1)
}

/// Largest element (−∞ for an empty range).
@inline(__always) func max16(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
    var m = V16(repeating: -.infinity)
    var i = 0
    while i + 16 <= n { m = vmax(m, load16(x + i)); i += 16 }
    var result = hmax(m)
    while i < n { result = Swift.max(result, x[i]); i += 1 }
    return result
}
