import LoopSupport
import LoopTrain

/// A tensor of uniform values in [-1, 1) from a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededRandom(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, rng: &rng)
}

/// The largest absolute element-wise difference.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
