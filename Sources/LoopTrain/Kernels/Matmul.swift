extension Tensor {
    /// The matrix product `op(self) · op(other)` of two 2-D tensors (higher-rank tensors are
    /// viewed as 2-D: first dimension × the rest), computed by `GEMM.sgemm`.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false,
                       pool: ThreadPool = .shared) -> Tensor {
        let (m, k) = transposeSelf ? (columns, rows) : (rows, columns)
        let (k2, n) = transposeOther ? (other.columns, other.rows) : (other.rows, other.columns)
        precondition(k == k2, "matmul: inner dimensions differ (\(shape) · \(other.shape))")
        var out = Tensor(uninitializedShape: [m, n])
        out.withUnsafeMutableBufferPointer { c in
            withUnsafeBufferPointer { a in
                other.withUnsafeBufferPointer { b in
                    GEMM.sgemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
                               a: a.baseAddress!, lda: columns, b: b.baseAddress!, ldb: other.columns,
                               c: c.baseAddress!, ldc: n, pool: pool)
                }
            }
        }
        return out
    }
}
