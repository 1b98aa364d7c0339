/// A learning-rate schedule: the rate for a (zero-based) step as a multiple of the base rate.
public enum LearningRateSchedule: Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// Cosine decay from the base rate at step 0 to `minFactor`·base at `totalSteps`.
    case cosine(totalSteps: Int, minFactor: Float = 0)
    /// Linear warm-up from base/`warmupSteps` to base over `warmupSteps`, then cosine decay to
    /// `minFactor`·base at `totalSteps` (the GPT recipe).
    case warmupCosine(warmupSteps: Int, totalSteps: Int, minFactor: Float = 0.1)
    /// Multiply by `gamma` every `every` steps.
    case step(every: Int, gamma: Float)

    /// The learning rate at `step`.
    public func rate(base: Float, step: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .cosine(total, minFactor):
            return base * cosineFactor(progress: Double(step) / Double(max(total, 1)), minFactor: minFactor)
        case let .warmupCosine(warmup, total, minFactor):
            if step < warmup { return base * Float(step + 1) / Float(warmup) }
            let progress = Double(step - warmup) / Double(max(total - warmup, 1))
            return base * cosineFactor(progress: progress, minFactor: minFactor)
        case let .step(every, gamma):
            var factor: Float = 1
            for _ in 0..<(step / max(every, 1)) { factor *= gamma }
            return base * factor
        }
    }

    private func cosineFactor(progress: Double, minFactor: Float) -> Float {
        let p = min(max(progress, 0), 1)
        let c = 0.5 * (1 + _cos(Double.pi * p))
        return minFactor + (1 - minFactor) * Float(c)
    }
}
