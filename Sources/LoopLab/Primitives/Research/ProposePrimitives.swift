import LoopLang
import LoopResearch
import LoopSupport

/// `propose(space, n:, strategy:, history:)`: proposals without a study, for loops that keep
/// their own records.
enum ProposePrimitives {
    /// `propose`'s parameters, each declared once (see `Param`).
    enum Parameters {
        static let space = Param.value("space", doc: "a Space (space {...}), a record of ranges, or a Study (its space, trials, goal and strategy)")
        static let n = Param.int("n", default: 1, doc: "how many configurations, distinct from each other and from the history")
        static let strategy = Param.optional("strategy", doc: "default (gp_per_second), gp, tpe, random, grid, sobol, evolve or agent(\"command\"); a study's own when left out")
        static let agentTimeout = Param.optionalSeconds("agent_timeout", doc: "with strategy: agent(...), how long the answer may take (default 2m)")
        static let history = Param.optional("history", doc: "a Study or a List of {params, value} records already evaluated")
        static let seed = Param.int("seed", default: 0, doc: "fixes the proposals")
        static let allowRepeat = Param.optionalBool("allow_repeat", doc: "let a configuration already in the history come back")
        static let goal = Param.optional("goal", doc: "maximize(...) when the history's values are to be maximised (default: minimised)")
        static let list = NativeParameters.list(space, n, strategy, history, seed, allowRepeat, goal, agentTimeout)
    }

    static func register(into registry: Registry) {
        registry.function(
            "propose", Parameters.list,
            doc: "Up to n new configurations (records) of `space`, distinct from each other and from history (unless allow_repeat: true); history is a Study or a list of {params, value} records (value minimised unless goal: maximize(..)). propose(study, n:) uses the study's space, trials (running ones included), goal and strategy."
        ) { call throws(LoopError) in
            typealias P = Parameters
            let space: Space
            // propose(st, n: 4): a batch for a study, from everything it has tried or is trying.
            var study: StudyBox?
            switch try call[P.space] {
            case .handle(let h) where h.object is SpaceBox: space = (h.object as! SpaceBox).space
            case .handle(let h) where h.object is StudyBox:
                study = (h.object as! StudyBox)
                space = study!.study.declaration.space
            case .record(let r): space = try SpacePrimitives.makeSpace(r)
            case let other: throw researchError("propose: space must be a Space (space {...}), got \(other.typeName)")
            }
            let n = try call[P.n]
            if n < 1 { throw researchError("propose: n must be at least 1, got \(n)") }
            var strategy = study?.study.declaration.strategy ?? .default
            var agent: AgentStrategy?
            switch try call[P.strategy] {
            case .nil: break
            case .string(let name): strategy = try StudyPrimitives.parseStrategy(name, function: "propose")
            case .handle(let h) where h.object is AgentStrategy: agent = (h.object as! AgentStrategy)
            case let other: throw call.wrongType(P.strategy.name, expected: "a String or agent(\"command\")", got: other)
            }
            var agentTimeout = try StudyPrimitives.agentTimeout(call[P.agentTimeout], function: "propose")
            // propose(st) on a study proposed by an agent asks the same agent.
            if case .nil = try call[P.strategy], let own = study?.agent {
                agent = own.agent
                if !call.isGiven(P.agentTimeout) { agentTimeout = own.timeout }
            }
            var goal = study?.goal ?? Goal.minimize("value")
            if case .handle(let h) = try call[P.goal], let box = h.object as? GoalBox { goal = box.goal }
            var historyValue = try call[P.history]
            if case .nil = historyValue, let study { historyValue = .handle(Handle(StudyPrimitives.studyType, study)) }
            let history = try observations(historyValue, space: space, goal: goal)
            let allowRepeat = try call[P.allowRepeat] ?? study?.study.declaration.allowRepeat ?? false
            let seed = UInt64(bitPattern: Int64(try call[P.seed]))
            var rng = SeededRandom(seed: seed ^ (UInt64(history.count) &* 0x9E37_79B9_7F4A_7C15))
            var sampler = strategy.makeSampler(seed: seed)
            if let agent {
                let agentSampler = AgentSampler(agent: agent, fallback: sampler, timeout: agentTimeout)
                agentSampler.request = {
                    if let study { return study.agentRequest() }
                    return ["study": .null, "space": SpaceJSON.encode(space), "goal": AgentStrategy.goalJSON(goal), "notes": [], "budget": [:],
                            "trials": .array(history.enumerated().map { i, o in
                                ["number": .int(i), "status": .string(o.value == nil ? "tried" : "complete"),
                                 "params": .object(ResearchValues.jsonParams(o.config)), "metrics": [:],
                                 "value": o.value.map { .number(goal.direction == .maximize ? -$0 : $0) } ?? .null, "error": .null]
                            })]
                }
                sampler = agentSampler
            }
            let configs = sampler.propose(space: space, history: history, n: n, allowRepeat: allowRepeat, rng: &rng)
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
