import LoopSupport

/// Small built-in datasets that need no download, generated from a seed.
public enum SyntheticData {
    /// `classes` interleaved spiral arms in 2-D (the CS231n toy problem), `perClass` points each,
    /// with Gaussian angle noise `noise`.
    public static func spirals(perClass: Int = 100, classes: Int = 3, noise: Float = 0.2, seed: UInt64) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Float] = []
        for c in 0..<classes {
            for i in 0..<perClass {
                let r = Float(i) / Float(max(perClass - 1, 1))
                let t = Float(c) * 4 + 4 * r + rng.nextNormal() * noise
                x += [r * Float(_sin(Double(t))), r * Float(_cos(Double(t)))]
                y.append(Float(c))
            }
        }
        return make(x, y, columns: 2, classes: classes)
    }

    /// Two interleaving half circles (scikit-learn's `make_moons`), `count` points, Gaussian noise.
    public static func moons(count: Int = 200, noise: Float = 0.1, seed: UInt64) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Float] = []
        let outer = count / 2
        for i in 0..<count {
            let upper = i < outer
            let k = upper ? i : i - outer
            let n = upper ? outer : count - outer
            let t = Double.pi * Double(k) / Double(max(n - 1, 1))
            let (px, py) = upper ? (_cos(t), _sin(t)) : (1 - _cos(t), 0.5 - _sin(t))
            x += [Float(px) + rng.nextNormal() * noise, Float(py) + rng.nextNormal() * noise]
            y.append(upper ? 0 : 1)
        }
        return make(x, y, columns: 2, classes: 2)
    }

    /// Isotropic Gaussian clusters: `centers` centres uniform in [−10, 10]^features, `count` points
    /// assigned round-robin, standard deviation `std`.
    public static func blobs(count: Int = 300, centers: Int = 3, features: Int = 2, std: Float = 1, seed: UInt64) -> Dataset {
        var rng = SeededRandom(seed: seed)
        let c = (0..<centers * features).map { _ in -10 + 20 * rng.nextFloat() }
        var x: [Float] = [], y: [Float] = []
        for i in 0..<count {
            let k = i % centers
            for f in 0..<features { x.append(c[k * features + f] + rng.nextNormal() * std) }
            y.append(Float(k))
        }
        return make(x, y, columns: features, classes: centers)
    }

    /// Points uniform in [−1, 1]², labelled 1 when the coordinates have different signs (XOR),
    /// with Gaussian noise `noise` added to the inputs after labelling.
    public static func xor(count: Int = 200, noise: Float = 0.05, seed: UInt64) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Float] = []
        for _ in 0..<count {
            let a = 2 * rng.nextFloat() - 1, b = 2 * rng.nextFloat() - 1
            x += [a + rng.nextNormal() * noise, b + rng.nextNormal() * noise]
            y.append((a > 0) != (b > 0) ? 1 : 0)
        }
        return make(x, y, columns: 2, classes: 2)
    }

    /// Regression: `y = sin(x) + noise` for `x` uniform in [−π, π].
    public static func sine(count: Int = 200, noise: Float = 0.1, seed: UInt64) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Float] = []
        for _ in 0..<count {
            let v = Float.pi * (2 * rng.nextFloat() - 1)
            x.append(v)
            y.append(Float(_sin(Double(v))) + rng.nextNormal() * noise)
        }
        return Dataset(features: Tensor(shape: [count, 1], values: x), targets: Tensor(shape: [count, 1], values: y),
                       task: .regression, featureNames: ["x"])
    }

    /// A built-in dataset by name (`spirals`, `moons`, `blobs`, `xor`, `sine`) with its defaults.
    public static func named(_ name: String, seed: UInt64) -> Dataset? {
        switch name {
        case "spirals": spirals(seed: seed)
        case "moons": moons(seed: seed)
        case "blobs": blobs(seed: seed)
        case "xor": xor(seed: seed)
        case "sine": sine(seed: seed)
        default: nil
        }
    }

    private static func make(_ x: [Float], _ y: [Float], columns: Int, classes: Int) -> Dataset {
        Dataset(features: Tensor(shape: [y.count, columns], values: x), targets: Tensor(shape: [y.count], values: y),
                task: .classification(classNames: (0..<classes).map(String.init)))
    }
}
