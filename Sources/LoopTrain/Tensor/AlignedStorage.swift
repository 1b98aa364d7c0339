import Synchronization

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
    /// Floats allocated: `count` rounded up to whole cache lines (at least one).
    let capacity: Int

    /// A block of `count` floats, zero-filled unless `zeroed` is false (then its contents are
    /// unspecified and the caller must write every element before reading any).
    ///
    /// Blocks come from `BlockCache` when one of the same size was freed: a training step frees
    /// and allocates the same activation sizes every step, and a reused block is still in cache
    /// and already paged in. (An earlier attempt that skipped the zero fill on fresh blocks, with
    /// no reuse, measured slower, probably because first-touch page faults moved into the
    /// multithreaded kernels; with reuse there are no such faults after the first step.)
    public init(count: Int, zeroed: Bool = true) {
        precondition(count >= 0, "negative element count")
        self.count = count
        let padded = max(16, (count + 15) & ~15)
        capacity = padded
        if let block = BlockCache.shared.take(floats: padded) {
            pointer = block
            if zeroed { pointer.update(repeating: 0, count: padded) }
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: padded * MemoryLayout<Float>.size, alignment: 64)
            pointer = raw.bindMemory(to: Float.self, capacity: padded)
            pointer.initialize(repeating: 0, count: padded)
        }
    }

    /// A copy of `other`.
    public convenience init(copying other: AlignedStorage) {
        self.init(count: other.count)
        pointer.update(from: other.pointer, count: count)
    }

    deinit { BlockCache.shared.give(pointer, floats: capacity) }
}

/// Freed storage blocks kept for reuse, by exact size, up to `limitBytes` in total (beyond that a
/// freed block is returned to the system). Thread-safe: tensors are freed on whichever thread
/// drops the last reference.
final class BlockCache: @unchecked Sendable {
    static let shared = BlockCache(limitBytes: 512 << 20)

    private struct State {
        /// Size in floats → addresses (as integers: pointers are not `Sendable`).
        var blocks: [Int: [UInt]] = [:]
        var bytes = 0
    }
    private let state = Mutex(State())
    let limitBytes: Int

    init(limitBytes: Int) { self.limitBytes = limitBytes }

    func take(floats: Int) -> UnsafeMutablePointer<Float>? {
        let address = state.withLock { s -> UInt? in
            guard let block = s.blocks[floats]?.popLast() else { return nil }
            s.bytes -= floats * MemoryLayout<Float>.size
            return block
        }
        return address.flatMap { UnsafeMutablePointer(bitPattern: $0) }
    }

    func give(_ block: UnsafeMutablePointer<Float>, floats: Int) {
        let bytes = floats * MemoryLayout<Float>.size
        let kept = state.withLock { s in
            guard s.bytes + bytes <= limitBytes else { return false }
            s.blocks[floats, default: []].append(UInt(bitPattern: block))
            s.bytes += bytes
            return true
        }
        if !kept { UnsafeMutableRawPointer(block).deallocate() }
    }
}
