/// A heap block of `Float`s whose first element sits on a 64-byte boundary.
///
/// 64 bytes is one cache line and one AVX-512 register, so a kernel that walks the block in
/// `SIMD16<Float>` steps never splits a load across two lines. The block is padded to a whole
/// number of cache lines; kernels still never read past `count` (tails go through partial loads).
public final class AlignedStorage: @unchecked Sendable {
    /// The number of meaningful elements.
    public let count: Int
    /// The first element; valid for `count` elements (and readable to the next 64-byte boundary).
    public let pointer: UnsafeMutablePointer<Float>

    /// A block of `count` floats, zero-filled unless `zeroed` is false (for outputs a kernel
    /// overwrites completely: zero-filling them cost ~6% of a small model's training step).
    public init(count: Int, zeroed: Bool = true) {
        precondition(count >= 0, "negative element count")
        self.count = count
        let padded = max(16, (count + 15) & ~15)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: padded * MemoryLayout<Float>.size, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: padded)
        if zeroed { pointer.initialize(repeating: 0, count: padded) }
    }

    /// A copy of `other`.
    public convenience init(copying other: AlignedStorage) {
        self.init(count: other.count, zeroed: false)
        pointer.update(from: other.pointer, count: count)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
