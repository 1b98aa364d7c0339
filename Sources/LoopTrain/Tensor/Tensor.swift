import LoopSupport

/// A dense, row-major, contiguous array of `Float32` with a shape.
///
/// `Tensor` is a value: copies share storage until one of them is written (copy-on-write), so
/// passing tensors around is cheap and a layer's parameters cannot be changed behind its back.
/// Kernels reach the elements through `withUnsafeBufferPointer` / `withUnsafeMutableBufferPointer`;
/// the storage is 64-byte aligned (see `AlignedStorage`).
public struct Tensor: Sendable {
    /// The extent of each dimension, outermost first. A scalar has shape `[]`.
    public private(set) var shape: [Int]
    @usableFromInline var storage: AlignedStorage

    /// A zero-filled tensor.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.storage = AlignedStorage(count: shape.reduce(1, *))
    }

    /// A tensor whose elements are unspecified: for kernel outputs that write every element, so
    /// the zero fill is not paid twice.
    init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.storage = AlignedStorage(count: shape.reduce(1, *), zeroed: false)
    }

    /// A tensor with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(uninitializedShape: shape)
        storage.pointer.update(repeating: value, count: storage.count)
    }

    /// A tensor holding `values` (row-major); `values.count` must equal the product of `shape`.
    public init(shape: [Int], values: [Float]) {
        self.init(uninitializedShape: shape)
        precondition(values.count == storage.count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A tensor of independent N(0, std²) samples drawn from `rng`.
    public static func randn(_ shape: [Int], std: Float = 1, rng: inout SeededRandom) -> Tensor {
        var t = Tensor(shape: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = rng.nextNormal() * std }
        }
        return t
    }

    /// A tensor of independent samples uniform in [low, high) drawn from `rng`.
    public static func uniform(_ shape: [Int], low: Float, high: Float, rng: inout SeededRandom) -> Tensor {
        var t = Tensor(shape: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = low + (high - low) * rng.nextFloat() }
        }
        return t
    }

    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The first dimension (1 for a scalar).
    public var rows: Int { shape.first ?? 1 }
    /// The product of all dimensions after the first: the row length of the 2-D view.
    public var columns: Int { shape.dropFirst().reduce(1, *) }

    /// The elements, row-major.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// Element at a flat (row-major) index.
    @inlinable public subscript(flat index: Int) -> Float {
        get { precondition(index >= 0 && index < count); return storage.pointer[index] }
        set { precondition(index >= 0 && index < count); makeUnique(); storage.pointer[index] = newValue }
    }

    /// Element of a 2-D tensor (or the 2-D view: first dimension × the rest).
    @inlinable public subscript(row: Int, column: Int) -> Float {
        get { self[flat: row * columns + column] }
        set { self[flat: row * columns + column] = newValue }
    }

    /// The same elements under a new shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        var t = self
        t.shape = newShape
        return t
    }

    /// Read access to the elements.
    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Write access to the elements; copies the storage first if another tensor shares it.
    @inlinable public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Sets every element to zero, keeping the storage when it is not shared.
    public mutating func zero() {
        withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    @inlinable mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = AlignedStorage(copying: storage) }
    }
}

extension Tensor: Equatable {
    /// Same shape and bit-identical elements (so `NaN`s with equal payloads compare equal).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        for i in 0..<lhs.count where lhs.storage.pointer[i].bitPattern != rhs.storage.pointer[i].bitPattern {
            return false
        }
        return true
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", ..." : "")])"
    }
}
