/// A heap block of `Float`s whose first element sits on a 64-byte boundary.
///
/// 64 bytes is one cache line and one AVX-512 register, so a kernel that walks the block in
/// `SIMD16<Float>` steps never splits a load across two lines. The block is padded to a whole
/// number of cache lines; kernels still never read past `count` (tails go through partial loads).
public final class AlignedStorage: @unchecked Sendable {
    /// The number of meaningful elements.
    public let count: Int
    /// The first element; valid for `count` elements.
    public let pointer: UnsafeMutablePointer<Float>

    /// A zero-filled block of `count` floats.
    ///
    /// Always zero-filled. Skipping the fill for outputs that kernels overwrite was tried and
    /// measured *slower* (small-model training steps lost ~30%, A/B back to back); the cause was
    /// not pinned down, so the simple, safe behaviour stays.
    public init(count: Int) {
        precondition(count >= 0, "negative element count")
        self.count = count
        let padded = max(16, (count + 15) & ~15)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: padded * MemoryLayout<Float>.size, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: padded)
        pointer.initialize(repeating: 0, count: padded)
    }

    /// A copy of `other`.
    public convenience init(copying other: AlignedStorage) {
        self.init(count: other.count)
        pointer.update(from: other.pointer, count: count)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
