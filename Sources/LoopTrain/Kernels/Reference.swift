/// Plain, obviously-correct implementations of LoopTrain's kernels, used by the tests as the
/// ground truth. They accumulate in `Double` so they are also more accurate than the fast paths.
public enum ReferenceKernels {
    /// `C = op(A)·op(B)` (or `+=`), same conventions as `GEMM.sgemm`.
    public static func sgemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(x) * Double(y)
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + Float(sum) : Float(sum)
            }
        }
    }
}
