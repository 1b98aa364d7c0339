import Foundation
import LoopSupport
import Synchronization

/// Bayesian optimisation with a Gaussian process: Matérn-5/2 ARD kernel with fitted
/// hyperparameters, log expected improvement maximised by a random + local candidate pool followed
/// by projected L-BFGS on the numeric coordinates and a sweep over categorical choices.
///
/// The default strategy: on the benchmark objectives it beats TPE at 50 and 100 trials.
/// Speed: the model uses at most `maxModelPoints` trials (the best half plus the most recent), and
/// past `refitEvery`-sized blocks the hyperparameters are refitted only once per block, on the
/// block's first trials, and cached. Both rules depend only on the history, so proposals stay a
/// pure function of `(space, history, n, rng)` — a fresh sampler proposes exactly what a warm one
/// would. Batches use the kriging believer: each proposal joins the model at its predicted mean
/// before the next is chosen, as do running trials (`Observation.pending`).
///
/// Cost-aware (`costAware`, the default strategy): a second GP models the log of each completed
/// trial's seconds, and the acquisition is log EI minus the predicted log cost — expected
/// improvement per second (Snoek, Larochelle & Adams 2012). It applies once `startupTrials`
/// completed trials have a measured cost and those costs differ (by more than `minCostSpread`
/// in log standard deviation); otherwise the sampler is plain EI.
public final class GPSampler: Sampler, Sendable {
    public var name: String { costAware ? "gp_per_second" : "gp" }
    public let costAware: Bool
    /// Below this standard deviation of log seconds (about ±10%) costs are treated as equal.
    public static let minCostSpread = 0.1
    public let startupTrials: Int
    public let maxModelPoints: Int
    /// Up to this many completed trials the hyperparameters are refitted for every proposal.
    public let refitAlwaysUpTo: Int
    /// Beyond `refitAlwaysUpTo`, hyperparameters are refitted once per this many trials.
    public let refitEvery: Int
    /// Model size once past `refitAlwaysUpTo` trials, where proposal speed matters more than the
    /// last digit of quality.
    public let fastModelPoints: Int

    private let cache = Mutex<[FitKey: GPHyperparameters]>([:])

    public init(startupTrials: Int = 10, maxModelPoints: Int = 96, refitAlwaysUpTo: Int = 120, refitEvery: Int = 25,
                fastModelPoints: Int = 48, costAware: Bool = false) {
        self.costAware = costAware
        self.fastModelPoints = fastModelPoints
        self.startupTrials = startupTrials
        self.maxModelPoints = maxModelPoints
        self.refitAlwaysUpTo = refitAlwaysUpTo
        self.refitEvery = refitEvery
    }

    private struct FitKey: Hashable, Sendable {
        var x: [Double]
        var y: [Double]
    }

    public func propose(space: Space, history: [Observation], n: Int, allowRepeat: Bool, rng: inout SeededRandom) -> [Config] {
        var batch = ProposalBatch(history: history, allowRepeat: allowRepeat)
        let completed = history.indices.filter { history[$0].value?.isFinite == true }
        if completed.count < startupTrials {
            batch.fill(n, space: space, rng: &rng) { rng, _ in RandomSampler.draw(space, rng: &rng) }
            return batch.configs
        }
        let d = space.parameters.count
        let categorical = space.parameters.map { !$0.distribution.isNumeric }
        // Encoded lazily: past `maxModelPoints` trials only the model's subset is ever needed.
        let features = { (i: Int) in GPSampler.features(space.unitPoint(of: history[i].config), categorical: categorical) }

        // Hyperparameters: fitted on the prefix that ends at the last refit point, on that prefix's
        // model subset; cached by content.
        let refitCount = completed.count <= refitAlwaysUpTo
            ? completed.count
            : refitAlwaysUpTo + (completed.count - refitAlwaysUpTo) / refitEvery * refitEvery
        let fitRows = modelRows(Array(completed.prefix(refitCount)), history: history,
                                limit: refitCount <= refitAlwaysUpTo ? maxModelPoints : fastModelPoints)
        let (fitX, fitY, _) = GPSampler.standardised(fitRows, features: features, history: history)
        let key = FitKey(x: fitX, y: fitY)
        let hyper: GPHyperparameters
        if let cached = cache.withLock({ $0[key] }) {
            hyper = cached
        } else {
            hyper = GaussianProcess.fit(x: fitX, y: fitY, dimensions: d, categorical: categorical,
                                        start: GPHyperparameters(dimensions: d), maxIterations: 60)
            cache.withLock { cache in
                if cache.count > 64 { cache.removeAll() }
                cache[key] = hyper
            }
        }

        let rows = modelRows(completed, history: history, limit: completed.count <= refitAlwaysUpTo ? maxModelPoints : fastModelPoints)
        var (x, y, best) = GPSampler.standardised(rows, features: features, history: history)
        // Running trials join at the model's own prediction (kriging believer).
        var pending = history.indices.filter { history[$0].pending && history[$0].value == nil }.map(features)
        let budget = AcquisitionBudget(completed: completed.count, generousUpTo: refitAlwaysUpTo)
        let cost = costAware ? costModel(completed, history: history, features: features, dimensions: d, categorical: categorical) : nil

        batch.fill(n, space: space, rng: &rng) { rng, current in
            guard var gp = GaussianProcess(x: x, y: y, dimensions: d, categorical: categorical, hyper: hyper) else {
                return RandomSampler.draw(space, rng: &rng)
            }
            while let p = pending.popLast() {
                let believed = gp.predict(p, gradient: false).mean
                x += p; y.append(believed)
                if let next = GaussianProcess(x: x, y: y, dimensions: d, categorical: categorical, hyper: hyper) { gp = next }
            }
            let incumbents = rows.indices.sorted { y[$0] < y[$1] }.prefix(budget.incumbents).map { Array(x[($0 * d)..<($0 * d + d)]) }
            let optimiser = AcquisitionOptimiser(gp: gp, space: space, best: best, budget: budget, cost: cost)
            for point in optimiser.rankedMaxima(incumbents: incumbents, rng: &rng) {
                let config = space.config(fromUnit: point)
                if current.isNew(config) {
                    let snapped = GPSampler.features(space.unitPoint(of: config), categorical: categorical)
                    pending.append(snapped)
                    return config
                }
            }
            return nil
        }
        return batch.configs
    }

    /// A GP of log seconds over the completed trials that measured a cost (the most recent
    /// `maxModelPoints`), with the scale that turns its standardised mean back into log seconds;
    /// nil when too few trials have a cost or the costs hardly differ.
    ///
    /// Its hyperparameters are refitted once per `costRefitEvery` timed trials (per `refitEvery`
    /// past `refitAlwaysUpTo`), on that prefix, and cached: a cost surface changes slowly, and
    /// a fit per proposal cost 30-40 ms at 200 trials — more than many trials themselves.
    private func costModel(_ completed: [Int], history: [Observation], features: (Int) -> [Double], dimensions d: Int,
                           categorical: [Bool]) -> CostModel? {
        let timed = completed.filter { (history[$0].cost ?? 0) > 0 && history[$0].cost!.isFinite }
        guard timed.count >= startupTrials else { return nil }
        let lean = timed.count > refitAlwaysUpTo
        let limit = lean ? fastModelPoints : maxModelPoints
        func standardised(_ rows: ArraySlice<Int>) -> (x: [Double], y: [Double], spread: Double) {
            let logs = rows.map { Foundation.log(history[$0].cost!) }
            let mean = logs.reduce(0, +) / Double(logs.count)
            let spread = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count)).squareRoot()
            return (rows.flatMap(features), logs.map { spread > 0 ? ($0 - mean) / spread : 0 }, spread)
        }
        let model = standardised(timed.suffix(limit))
        guard model.spread > GPSampler.minCostSpread else { return nil }
        let block = lean ? refitEvery : GPSampler.costRefitEvery
        let fitted = standardised(timed.prefix(max(startupTrials, timed.count / block * block)).suffix(limit))
        guard fitted.spread > 0 else { return nil }
        let key = FitKey(x: fitted.x, y: fitted.y)
        let hyper: GPHyperparameters
        if let cached = cache.withLock({ $0[key] }) {
            hyper = cached
        } else {
            hyper = GaussianProcess.fit(x: fitted.x, y: fitted.y, dimensions: d, categorical: categorical,
                                        start: GPHyperparameters(dimensions: d), maxIterations: 60)
            cache.withLock { cache in
                if cache.count > 64 { cache.removeAll() }
                cache[key] = hyper
            }
        }
        return GaussianProcess(x: model.x, y: model.y, dimensions: d, categorical: categorical, hyper: hyper)
            .map { CostModel(gp: $0, scale: model.spread) }
    }

    /// Timed trials per refit of the cost model's hyperparameters (up to `refitAlwaysUpTo`).
    static let costRefitEvery = 10

    /// Trials the model is built on: all, or the best half plus the most recent when there are more
    /// than `maxModelPoints` (exact GP cost grows with the cube of the count).
    private func modelRows(_ completed: [Int], history: [Observation], limit: Int) -> [Int] {
        guard completed.count > limit else { return completed }
        let bestHalf = completed.sorted { (history[$0].value!, $0) < (history[$1].value!, $1) }.prefix(limit / 2)
        var chosen = Set(bestHalf)
        for i in completed.reversed() where chosen.count < limit { chosen.insert(i) }
        return chosen.sorted()
    }

    /// Inputs (row-major), standardised targets, and the standardised incumbent value.
    private static func standardised(_ rows: [Int], features: (Int) -> [Double], history: [Observation]) -> ([Double], [Double], Double) {
        let raw = rows.map { history[$0].value! }
        let mean = raw.reduce(0, +) / Double(raw.count)
        let variance = raw.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(raw.count)
        let scale = variance > 0 ? variance.squareRoot() : 1
        let y = raw.map { ($0 - mean) / scale }
        return (rows.flatMap(features), y, y.min() ?? 0)
    }

    /// Missing numeric coordinates sit mid-range; a missing choice is −1, a category of its own.
    static func features(_ point: [Double?], categorical: [Bool]) -> [Double] {
        zip(point, categorical).map { u, isChoice in u ?? (isChoice ? -1 : 0.5) }
    }
}
