import Foundation

/// Where an axis gets its ticks and how their labels read.
public enum Ticks {
    /// About `target` round values covering `domain` (1, 2 or 5 times a power of ten apart,
    /// Heckbert's "nice numbers"); on a log axis, the powers of ten inside it (with 2 and 5
    /// between them when it spans less than two decades).
    /// `integers`: the values are whole numbers (steps, trial numbers), so ticks are too.
    public static func values(_ domain: ClosedRange<Double>, scale: Scale, target: Int = 5, integers: Bool = false) -> [Double] {
        switch scale {
        case .linear: return linear(domain, target: target, integers: integers)
        case .log: return log(domain)
        }
    }

    static func linear(_ domain: ClosedRange<Double>, target: Int, integers: Bool) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite else { return [domain.lowerBound] }
        var step = niceStep(span / Double(max(target - 1, 1)))
        if integers { step = max(step, 1) }
        let first = (domain.lowerBound / step).rounded(.up)
        let last = (domain.upperBound / step).rounded(.down)
        guard last >= first, last - first < 1000 else { return [domain.lowerBound, domain.upperBound] }
        // Multiplying the index (rather than adding steps) keeps 0.1 * 3 from reading 0.30000000000000004.
        return stride(from: first, through: last, by: 1).map { ($0 * step).cleaned(forStep: step) + 0 }
    }

    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    static func log(_ domain: ClosedRange<Double>) -> [Double] {
        let lowExp = log10(domain.lowerBound).rounded(.down), highExp = log10(domain.upperBound).rounded(.up)
        guard lowExp.isFinite, highExp.isFinite, highExp - lowExp < 400 else { return [domain.lowerBound] }
        let multiples: [Double] = highExp - lowExp <= 2 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        var e = lowExp
        while e <= highExp {
            for m in multiples {
                let v = m * pow(10, e)
                if domain.contains(v) { ticks.append(v) }
            }
            e += 1
        }
        return ticks.isEmpty ? [domain.lowerBound, domain.upperBound] : ticks
    }

    /// Labels for a set of ticks: as few digits as tell them apart; `1e-04` style for very small
    /// or very large values.
    public static func labels(_ ticks: [Double]) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        let smallest = ticks.map(abs).filter { $0 > 0 }.min() ?? 0
        if largest >= 1e6 || (smallest > 0 && smallest < 1e-3) {
            return ticks.map { $0 == 0 ? "0" : String(format: "%.0e", $0).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e-0", with: "e-") }
        }
        for decimals in 0...6 {
            let texts = ticks.map { format($0, decimals: decimals) }
            if Set(texts).count == texts.count, zip(texts, ticks).allSatisfy({ abs((Double($0) ?? .nan) - $1) <= 1e-9 * max(1, abs($1)) }) {
                return texts
            }
        }
        return ticks.map { format($0, decimals: 6) }
    }

    /// A number with a fixed count of decimals, never `-0`.
    public static func format(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}

extension Double {
    /// This value rounded to one decimal more than `step` has, which removes floating-point
    /// noise from a tick (`0.30000000000000004` becomes `0.3`).
    func cleaned(forStep step: Double) -> Double {
        let decimals = Swift.max(0, Int(-Foundation.log10(step).rounded(.down)) + 1)
        let scale = Foundation.pow(10, Double(decimals))
        return (self * scale).rounded() / scale
    }
}
