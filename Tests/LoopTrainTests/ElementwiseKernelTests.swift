import LoopSupport
import LoopTrain
import Testing

@Suite struct ElementwiseKernelTests {
    static let sizes = [1, 7, 15, 16, 17, 63, 65, 257]

    /// Applies a kernel to `n` values spread over [-range, range] and returns (fast, reference-input).
    func run(_ n: Int, range: Float = 6, _ kernel: (Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> (x: [Float], y: [Float]) {
        let x = randomTensor([n], seed: UInt64(n)).scalars.map { $0 * range }
        var y = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { kernel(n, xp.baseAddress!, $0.baseAddress!) } }
        return (x, y)
    }

    @Test(arguments: sizes) func activationsMatchReference(n: Int) {
        var r = run(n, Kernels.relu)
        #expect(r.y == r.x.map { max($0, 0) })
        r = run(n, range: 20, Kernels.exp)
        for (x, y) in zip(r.x, r.y) { #expect(abs(y - ReferenceKernels.exp(x)) <= 3e-7 * ReferenceKernels.exp(x), "exp(\(x))") }
        r = run(n, Kernels.tanh)
        for (x, y) in zip(r.x, r.y) { #expect(abs(y - ReferenceKernels.tanh(x)) <= 3e-7, "tanh(\(x))") }
        r = run(n, range: 0.7, Kernels.tanh)  // polynomial branch: relative accuracy near 0
        for (x, y) in zip(r.x, r.y) { #expect(abs(y - ReferenceKernels.tanh(x)) <= 2e-7 * max(abs(x), 1e-3), "tanh(\(x))") }
        r = run(n, range: 30, Kernels.sigmoid)
        for (x, y) in zip(r.x, r.y) { #expect(abs(y - ReferenceKernels.sigmoid(x)) <= 2e-7, "sigmoid(\(x))") }
        for approx in [GELUApproximation.erf, .tanh] {
            r = run(n) { Kernels.gelu($0, $1, $2, approximation: approx) }
            for (x, y) in zip(r.x, r.y) {
                #expect(abs(y - ReferenceKernels.gelu(x, approximation: approx)) <= 1e-6 * max(1, abs(x)), "gelu(\(x))")
            }
        }
    }

    @Test(arguments: sizes) func activationBackwardsMatchReference(n: Int) {
        let x = randomTensor([n], seed: 11).scalars.map { $0 * 5 }
        let dy = randomTensor([n], seed: 12).scalars
        func backward(_ f: (Int, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void,
                      _ input: [Float]) -> [Float] {
            var dx = [Float](repeating: 0, count: n)
            input.withUnsafeBufferPointer { a in dy.withUnsafeBufferPointer { b in
                dx.withUnsafeMutableBufferPointer { f(n, a.baseAddress!, b.baseAddress!, $0.baseAddress!) } } }
            return dx
        }
        #expect(backward({ Kernels.reluBackward($0, x: $1, dy: $2, dx: $3) }, x) == zip(x, dy).map { $0 > 0 ? $1 : 0 })
        let t = x.map(ReferenceKernels.tanh)
        #expect(maxAbsDifference(backward({ Kernels.tanhBackward($0, y: $1, dy: $2, dx: $3) }, t),
                                 zip(t, dy).map { $1 * (1 - $0 * $0) }) < 1e-6)
        let s = x.map(ReferenceKernels.sigmoid)
        #expect(maxAbsDifference(backward({ Kernels.sigmoidBackward($0, y: $1, dy: $2, dx: $3) }, s),
                                 zip(s, dy).map { $1 * $0 * (1 - $0) }) < 1e-6)
        for approx in [GELUApproximation.erf, .tanh] {
            let got = backward({ Kernels.geluBackward($0, x: $1, dy: $2, dx: $3, approximation: approx) }, x)
            let want = zip(x, dy).map { ReferenceKernels.geluDerivative($0, approximation: approx) * $1 }
            #expect(maxAbsDifference(got, want) < 2e-6, "\(approx)")
        }
    }

    @Test(arguments: sizes) func reductionsAndArithmetic(n: Int) {
        let x = randomTensor([n], seed: 3).scalars, y = randomTensor([n], seed: 4).scalars
        x.withUnsafeBufferPointer { xp in
            let p = xp.baseAddress!
            #expect(abs(Double(Kernels.sum(n, p)) - x.reduce(0.0) { $0 + Double($1) }) < 1e-5)
            #expect(abs(Double(Kernels.sumOfSquares(n, p)) - x.reduce(0.0) { $0 + Double($1 * $1) }) < 1e-5)
            #expect(Kernels.max(n, p) == x.max()!)
            var z = y
            z.withUnsafeMutableBufferPointer { Kernels.axpy(n, alpha: 2, p, $0.baseAddress!) }
            #expect(maxAbsDifference(z, zip(x, y).map { 2 * $0 + $1 }) < 1e-6)
        }
    }

    @Test(arguments: [(1, 1), (3, 7), (5, 63), (4, 65), (2, 257)])
    func softmaxCrossEntropyMatchesReference(rows: Int, classes: Int) {
        let logits = randomTensor([rows, classes], seed: 5).scalars.map { $0 * 8 }
        var rng = SeededRandom(seed: 6)
        let labels = (0..<rows).map { _ in rng.nextInt(below: classes) }
        let floatLabels = labels.map(Float.init)
        var grad = [Float](repeating: 0, count: logits.count)
        let loss = logits.withUnsafeBufferPointer { l in floatLabels.withUnsafeBufferPointer { y in
            grad.withUnsafeMutableBufferPointer {
                Kernels.softmaxCrossEntropy(rows: rows, classes: classes, logits: l.baseAddress!, labels: y.baseAddress!,
                                            gradient: $0.baseAddress!)
            } } }
        let ref = ReferenceKernels.softmaxCrossEntropy(logits: logits, labels: labels, classes: classes)
        #expect(abs(loss - ref.loss) < 1e-5 * max(1, ref.loss))
        #expect(maxAbsDifference(grad, ref.gradient) < 1e-6)
        // Softmax rows sum to one.
        var sm = logits
        sm.withUnsafeMutableBufferPointer { Kernels.softmax(rows: rows, cols: classes, UnsafePointer($0.baseAddress!), $0.baseAddress!) }
        for r in 0..<rows { #expect(abs(sm[r * classes..<(r + 1) * classes].reduce(0, +) - 1) < 1e-5) }
    }

    // (1100, 33) runs in several row blocks on the pool.
    @Test(arguments: [(1, 1), (3, 7), (5, 63), (4, 65), (2, 257), (1100, 33)])
    func layerNormMatchesReference(rows: Int, cols: Int) {
        let x = randomTensor([rows, cols], seed: 7).scalars.map { $0 * 3 + 10 }  // large mean on purpose
        let gamma = randomTensor([cols], seed: 8).scalars, beta = randomTensor([cols], seed: 9).scalars
        var y = [Float](repeating: 0, count: x.count)
        var mean = [Float](repeating: 0, count: rows), rstd = mean
        x.withUnsafeBufferPointer { xp in gamma.withUnsafeBufferPointer { g in beta.withUnsafeBufferPointer { b in
            Kernels.layerNorm(rows: rows, cols: cols, x: xp.baseAddress!, gamma: g.baseAddress!, beta: b.baseAddress!,
                              eps: 1e-5, y: &y, mean: &mean, rstd: &rstd) } } }
        let ref = ReferenceKernels.layerNorm(x, rows: rows, cols: cols, gamma: gamma, beta: beta, eps: 1e-5)
        #expect(maxAbsDifference(y, ref) < (cols == 1 ? 1e-3 : 2e-5))
    }

    /// The row-blocked backward (1100 rows of 33: three blocks on the pool) against the same kernel
    /// run one row at a time: dx identical, dgamma/dbeta equal to the Double sum of the rows' parts.
    @Test func layerNormBackwardInBlocksMatchesRowByRow() {
        let (rows, cols) = (1100, 33)
        let x = randomTensor([rows, cols], seed: 12).scalars, dy = randomTensor([rows, cols], seed: 13).scalars
        let gamma = randomTensor([cols], seed: 14).scalars
        var y = [Float](repeating: 0, count: x.count), mean = [Float](repeating: 0, count: rows), rstd = mean
        Kernels.layerNorm(rows: rows, cols: cols, x: x, gamma: gamma, beta: nil, eps: 1e-5, y: &y, mean: &mean, rstd: &rstd)
        var dx = [Float](repeating: 0, count: x.count)
        var dgamma = [Float](repeating: 1, count: cols), dbeta = [Float](repeating: 2, count: cols)  // accumulates
        Kernels.layerNormBackward(rows: rows, cols: cols, x: x, gamma: gamma, mean: mean, rstd: rstd, dy: dy,
                                  dx: &dx, dgamma: &dgamma, dbeta: &dbeta)
        var rowDx = [Float](repeating: 0, count: x.count)
        var sumGamma = [Double](repeating: 1, count: cols), sumBeta = [Double](repeating: 2, count: cols)
        for r in 0..<rows {
            var dg = [Float](repeating: 0, count: cols), db = dg
            x.withUnsafeBufferPointer { xp in dy.withUnsafeBufferPointer { g in
                mean.withUnsafeBufferPointer { m in rstd.withUnsafeBufferPointer { s in rowDx.withUnsafeMutableBufferPointer { d in
                    Kernels.layerNormBackward(rows: 1, cols: cols, x: xp.baseAddress! + r * cols, gamma: gamma, mean: m.baseAddress! + r,
                                              rstd: s.baseAddress! + r, dy: g.baseAddress! + r * cols, dx: d.baseAddress! + r * cols,
                                              dgamma: &dg, dbeta: &db)
                } } }
            } }
            for c in 0..<cols { sumGamma[c] += Double(dg[c]); sumBeta[c] += Double(db[c]) }
        }
        #expect(dx == rowDx)
        #expect(maxAbsDifference(dgamma, sumGamma.map(Float.init)) < 1e-3)
        #expect(maxAbsDifference(dbeta, sumBeta.map(Float.init)) < 1e-3)
    }
}
