import LoopSupport

/// What the targets of a dataset mean.
public enum LearningTask: Equatable, Sendable {
    /// One class index per row (stored as a float); `classNames[i]` names class i.
    case classification(classNames: [String])
    /// One or more real-valued targets per row.
    case regression

    /// Number of classes (0 for regression).
    public var classCount: Int {
        if case let .classification(names) = self { return names.count }
        return 0
    }
}

/// Rows of numeric features with their targets.
public struct Dataset: Sendable {
    /// `[rows, features]`.
    public var features: Tensor
    /// `[rows]` class indices for classification, `[rows, outputs]` for regression.
    public var targets: Tensor
    public var task: LearningTask
    public var featureNames: [String]
    /// The target column's name (a CSV's `target:` column; `target` otherwise).
    public var targetName = "target"

    /// A dataset; feature names default to `x0`, `x1`, ...
    public init(features: Tensor, targets: Tensor, task: LearningTask, featureNames: [String]? = nil) {
        precondition(features.rank == 2, "features must be [rows, features], got \(features.shape)")
        precondition(targets.rows == features.rows, "\(features.rows) feature rows but \(targets.rows) targets")
        self.features = features
        self.targets = targets
        self.task = task
        self.featureNames = featureNames ?? (0..<features.columns).map { "x\($0)" }
    }

    /// Number of rows.
    public var count: Int { features.rows }
    /// Number of features per row.
    public var featureCount: Int { features.columns }
    /// Width of the model output this task needs: classes (1 for two-class logits is not assumed),
    /// or the number of regression targets.
    public var outputCount: Int {
        task == .regression ? targets.columns : task.classCount
    }

    /// The rows at `indices`, in that order.
    public func subset<C: Collection>(_ indices: C) -> Dataset where C.Element == Int {
        var part = Dataset(features: gatherRows(features, indices), targets: gatherRows(targets, indices), task: task,
                           featureNames: featureNames)
        part.targetName = targetName
        return part
    }

    /// Splits into train/validation/test by fractions (normalised to sum 1), shuffled by `seed`.
    ///
    /// With `stratify` (classification only) each class is split in the same proportions, so small
    /// test sets keep the class balance; each class's share is rounded and the remainder goes to train.
    public func split(train: Double, validation: Double = 0, test: Double, seed: UInt64,
                      stratify: Bool = true) -> (train: Dataset, validation: Dataset, test: Dataset) {
        precondition(train >= 0 && validation >= 0 && test >= 0 && train + validation + test > 0, "bad split fractions")
        let total = train + validation + test
        var rng = SeededRandom(seed: seed)
        var groups: [[Int]]
        if stratify, task != .regression {
            groups = Array(repeating: [], count: task.classCount)
            for i in 0..<count { groups[Int(targets[flat: i])].append(i) }
        } else {
            groups = [Array(0..<count)]
        }
        var trainIdx: [Int] = [], valIdx: [Int] = [], testIdx: [Int] = []
        for var group in groups {
            group.seededShuffle(using: &rng)
            let nTest = Int((Double(group.count) * test / total).rounded())
            let nVal = Int((Double(group.count) * validation / total).rounded())
            testIdx += group.prefix(nTest)
            valIdx += group.dropFirst(nTest).prefix(nVal)
            trainIdx += group.dropFirst(nTest + nVal)
        }
        trainIdx.seededShuffle(using: &rng); valIdx.seededShuffle(using: &rng); testIdx.seededShuffle(using: &rng)
        return (subset(trainIdx), subset(valIdx), subset(testIdx))
    }

    /// The dataset with its features standardised by `scaler`.
    public func standardized(by scaler: Standardizer) -> Dataset {
        var copy = self
        copy.features = scaler.transform(features)
        return copy
    }

    /// Mini-batches covering every row once, in an order shuffled by `rng` (or in order when nil).
    /// The last batch may be smaller.
    public func batches(size: Int, shuffle rng: inout SeededRandom?) -> [(features: Tensor, targets: Tensor)] {
        precondition(size > 0, "batch size must be positive")
        var order = Array(0..<count)
        if rng != nil { order.seededShuffle(using: &rng!) }
        return stride(from: 0, to: count, by: size).map { start in
            let slice = order[start..<min(start + size, count)]
            return (gatherRows(features, slice), gatherRows(targets, slice))
        }
    }
}

/// Rows of `t` (viewed as `[rows, columns]`) at `indices`, keeping trailing dimensions.
func gatherRows<C: Collection>(_ t: Tensor, _ indices: C) -> Tensor where C.Element == Int {
    let width = t.columns
    var out = Tensor(shape: [indices.count] + t.shape.dropFirst())
    out.withUnsafeMutableBufferPointer { o in
        t.withUnsafeBufferPointer { s in
            for (k, i) in indices.enumerated() {
                precondition(i >= 0 && i < t.rows, "row \(i) out of range")
                (o.baseAddress! + k * width).update(from: s.baseAddress! + i * width, count: width)
            }
        }
    }
    return out
}

/// Per-feature standardisation `(x − mean) / std`, fitted on one split (the training split) and
/// applied to all, so no statistics leak from validation or test data. Features with zero variance
/// get scale 1 (as scikit-learn's `StandardScaler`).
public struct Standardizer: Sendable, Codable, Equatable {
    public var mean: [Float]
    public var std: [Float]

    /// Fits on the rows of `features` (population standard deviation, accumulated in `Double`).
    public init(fitting features: Tensor) {
        let rows = features.rows, cols = features.columns
        var sum = [Double](repeating: 0, count: cols), sumSq = sum
        features.withUnsafeBufferPointer { x in
            for r in 0..<rows { for c in 0..<cols { let v = Double(x[r * cols + c]); sum[c] += v } }
            for c in 0..<cols { sum[c] /= Double(max(rows, 1)) }
            for r in 0..<rows { for c in 0..<cols { let d = Double(x[r * cols + c]) - sum[c]; sumSq[c] += d * d } }
        }
        mean = sum.map { Float($0) }
        std = sumSq.map { let s = ($0 / Double(max(rows, 1))).squareRoot(); return s > 1e-12 ? Float(s) : 1 }
    }

    /// `(x − mean) / std` for each row.
    public func transform(_ features: Tensor) -> Tensor {
        let cols = features.columns
        precondition(cols == mean.count, "standardizer fitted on \(mean.count) features, got \(cols)")
        var out = features
        out.withUnsafeMutableBufferPointer { x in
            for r in 0..<features.rows { for c in 0..<cols { x[r * cols + c] = (x[r * cols + c] - mean[c]) / std[c] } }
        }
        return out
    }
}
