import LoopLang
import LoopResearch
import LoopSupport

/// `propose(space, n:, strategy:, history:)`: proposals without a study, for loops that keep
/// their own records.
enum ProposePrimitives {
    static func register(into registry: Registry) {
        registry.function(
            "propose",
            [NativeParameter("space"), NativeParameter("n", default: .int(1)), .optional("strategy"),
             .optional("history"), NativeParameter("seed", default: .int(0)), .optional("allow_repeat"), .optional("goal")],
            doc: "Up to n new configurations (records) of `space`, distinct from each other and from history (unless allow_repeat: true); history is a Study or a list of {params, value} records (value minimised unless goal: maximize(..)). propose(study, n:) uses the study's space, trials (running ones included), goal and strategy."
        ) { call throws(LoopError) in
            let space: Space
            // propose(st, n: 4): a batch for a study, from everything it has tried or is trying.
            var study: StudyBox?
            switch call.value("space") {
            case .handle(let h) where h.object is SpaceBox: space = (h.object as! SpaceBox).space
            case .handle(let h) where h.object is StudyBox:
                study = (h.object as! StudyBox)
                space = study!.study.declaration.space
            case .record(let r): space = try SpacePrimitives.makeSpace(r)
            case let other: throw researchError("propose: space must be a Space (space {...}), got \(other.typeName)")
            }
            let n = try call.int("n")
            if n < 1 { throw researchError("propose: n must be at least 1, got \(n)") }
            let strategy: Strategy
            if case .nil = call.value("strategy") {
                strategy = study?.study.declaration.strategy ?? .default
            } else {
                strategy = try StudyPrimitives.parseStrategy(try call.string("strategy"), function: "propose")
            }
            var goal = study?.goal ?? Goal.minimize("value")
            if case .handle(let h) = call.value("goal"), let box = h.object as? GoalBox { goal = box.goal }
            var historyValue = call.value("history")
            if case .nil = historyValue, let study { historyValue = .handle(Handle(StudyPrimitives.studyType, study)) }
            let history = try observations(historyValue, space: space, goal: goal)
            let allowRepeat: Bool
            if case .nil = call.value("allow_repeat") { allowRepeat = study?.study.declaration.allowRepeat ?? false } else {
                allowRepeat = try call.bool("allow_repeat")
            }
            let seed = UInt64(bitPattern: Int64(try call.int("seed")))
            var rng = SeededRandom(seed: seed ^ (UInt64(history.count) &* 0x9E37_79B9_7F4A_7C15))
            let configs = strategy.makeSampler(seed: seed)
                .propose(space: space, history: history, n: n, allowRepeat: allowRepeat, rng: &rng)
            return .list(configs.map { ResearchValues.record($0, space: space) })
        }
    }

    /// History as observations: a Study's trials, or records `{params: {...}, value: x}` (a record
    /// without `params` is itself the configuration, with an optional `value` field).
    private static func observations(_ history: Value, space: Space, goal: Goal) throws(LoopError) -> [Observation] {
        switch history {
        case .handle(let h) where h.object is StudyBox:
            return (h.object as! StudyBox).study.observations()
        case .list(let items):
            var out: [Observation] = []
            for item in items {
                guard case .record(let r) = item else { throw researchError("propose: history items must be records like {params: {...}, value: 0.5}, got \(item.typeName)") }
                var params = r.fields
                if case .record(let p)? = r.fields["params"] { params = p.fields } else { params["value"] = nil }
                var config = Config()
                for (name, v) in params {
                    guard let pv = ResearchValues.parameterValue(v) else { continue }
                    config[name] = pv
                }
                let value = r.fields["value"]?.number.map(goal.objective)
                out.append(Observation(config: config, value: value))
            }
            return out
        case .nil: return []
        case let other: throw researchError("propose: history must be a Study or a List of records, got \(other.typeName)")
        }
    }
}
