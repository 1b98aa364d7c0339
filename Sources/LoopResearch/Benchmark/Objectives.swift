import Foundation

/// A test function for the `propose` benchmark: a space, a minimised objective and its known
/// minimum. Definitions and constants follow `shared/anchors/hpo_objectives.json` exactly (the
/// arithmetic is ordered as in `hpo_optuna.py`, so the reference checks match to ~1e-15).
public struct BenchmarkObjective: Sendable {
    public let name: String
    public let space: Space
    public let knownMin: Double
    /// For objectives with a categorical parameter: the choice holding the global minimum.
    public let optimalChoice: (parameter: String, value: ParameterValue)?
    public let evaluate: @Sendable (Config) -> Double

    /// Branin, Hartmann-6, Rosenbrock-4 and Hartmann-6 with a 5-way categorical, in the JSON's order.
    public static let all: [BenchmarkObjective] = [branin, hartmann6, rosenbrock4, hartmann6Mixed]

    private static func floats(_ names: [String], _ low: Double, _ high: Double) -> [Parameter] {
        names.map { Parameter($0, .uniform(low: low, high: high)) }
    }

    private static func number(_ c: Config, _ name: String) -> Double {
        guard case .double(let x) = c[name] else { preconditionFailure("benchmark: \(name) missing or not a float") }
        return x
    }

    public static let branin = BenchmarkObjective(
        name: "branin",
        space: try! Space([Parameter("x1", .uniform(low: -5, high: 10)), Parameter("x2", .uniform(low: 0, high: 15))]),
        knownMin: 0.3978873577297384, optimalChoice: nil,
        evaluate: { c in braninValue(number(c, "x1"), number(c, "x2")) })

    public static func braninValue(_ x1: Double, _ x2: Double) -> Double {
        let a = 1.0, b = 0.12918450914398066, cc = 1.5915494309189535, r = 6.0, s = 10.0, t = 0.039788735772973836
        let inner = x2 - b * (x1 * x1) + cc * x1 - r
        return a * (inner * inner) + s * (1.0 - t) * cos(x1) + s
    }

    public static let hartmannAlpha = [1.0, 1.2, 3.0, 3.2]
    public static let hartmannA: [[Double]] = [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
    public static let hartmannP: [[Double]] = [
        [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
        [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
        [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
    ]

    public static func hartmann6Value(_ x: [Double]) -> Double {
        var total = 0.0
        for i in 0..<4 {
            var inner = 0.0
            for j in 0..<6 {
                let diff = x[j] - hartmannP[i][j]
                inner += hartmannA[i][j] * (diff * diff)
            }
            total += hartmannAlpha[i] * exp(-inner)
        }
        return -total
    }

    private static let sixNames = ["x1", "x2", "x3", "x4", "x5", "x6"]

    public static let hartmann6 = BenchmarkObjective(
        name: "hartmann6", space: try! Space(floats(sixNames, 0, 1)),
        knownMin: -3.322368011415484, optimalChoice: nil,
        evaluate: { c in hartmann6Value(sixNames.map { number(c, $0) }) })

    public static let rosenbrock4 = BenchmarkObjective(
        name: "rosenbrock4", space: try! Space(floats(["x1", "x2", "x3", "x4"], -2, 2)),
        knownMin: 0, optimalChoice: nil,
        evaluate: { c in rosenbrockValue(["x1", "x2", "x3", "x4"].map { number(c, $0) }) })

    public static func rosenbrockValue(_ x: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<(x.count - 1) {
            let a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i]
            sum += 100.0 * (a * a) + b * b
        }
        return sum
    }

    /// Labels map to x4 values in a shuffled order, so the label index carries no ordinal information.
    static let mixedChoiceValues: [String: Double] = ["c0": 0.5, "c1": 0.9, "c2": 0.1, "c3": 0.7, "c4": 0.3]

    public static let hartmann6Mixed = BenchmarkObjective(
        name: "hartmann6_mixed",
        space: try! Space(floats(["x1", "x2", "x3"], 0, 1)
            + [Parameter("x4", .choice(["c0", "c1", "c2", "c3", "c4"].map { ParameterValue.string($0) }))]
            + floats(["x5", "x6"], 0, 1)),
        knownMin: -3.3043928500316673, optimalChoice: ("x4", .string("c4")),
        evaluate: { c in
            guard case .string(let label) = c["x4"], let x4 = mixedChoiceValues[label] else {
                preconditionFailure("benchmark: x4 missing or not a known label")
            }
            return hartmann6Value([number(c, "x1"), number(c, "x2"), number(c, "x3"), x4, number(c, "x5"), number(c, "x6")])
        })
}
