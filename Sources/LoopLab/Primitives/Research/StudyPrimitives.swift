import Glibc
import LoopLang
import LoopResearch
import LoopStore
import LoopSupport

/// What `maximize("accuracy")` and `minimize("loss")` return.
final class GoalBox {
    let goal: Goal
    init(_ goal: Goal) { self.goal = goal }
}

/// `study(...)`, `maximize`, `minimize` and the Study type: a named search that persists in the
/// project store and is iterated with `for t in st { ... }`.
enum StudyPrimitives {
    static let goalType: HostType = {
        let type = HostType(name: "Goal", doc: "What a study optimises.", summary: { ($0 as! GoalBox).goal.description })
        type.addMember("metric", .property(doc: "the metric's name") { .string(($0 as! GoalBox).goal.metric) })
        type.addMember("maximize", .property(doc: "true when larger is better") { .bool(($0 as! GoalBox).goal.direction == .maximize) })
        return type
    }()

    /// Why a trial the loop body left running is failed (see `StudyBox.settle`).
    static let notRemembered = "the loop body ended without remember(t, metrics): it raised an error, broke out of the loop, or skipped remember"

    static func register(into registry: Registry, context: ResearchContext) {
        registry.register(goalType)
        registry.register(studyType)
        let metric = Param.string("metric", doc: "a metric's name, as remember(t, {...}) records it (\"val_acc\")")
        registry.function("maximize", NativeParameters.list(metric), doc: "A study goal: make `metric` as large as possible.") { call throws(LoopError) in
            .handle(Handle(goalType, GoalBox(.maximize(try call[metric]))))
        }
        registry.function("minimize", NativeParameters.list(metric), doc: "A study goal: make `metric` as small as possible.") { call throws(LoopError) in
            .handle(Handle(goalType, GoalBox(.minimize(try call[metric]))))
        }
        registry.function(
            "study",
            StudyParameters.list,
            doc: "Creates or resumes the named study in the project store; `for t in st { ... }` runs trials until a guardrail stops it. Settings left out keep the stored study's (else max_trials: 100, max_failures: 5, max_repeated_error: 3, max_near_duplicates: 5). trial_budget: 30s stops a trial that runs longer (recorded interrupted); repeats: k re-runs the best `finalists:` (default k) configurations k times with new seeds before st.best is decided by the mean; allow_repeat: true lets the strategy propose tried configurations; progress: false keeps stderr to failed trials."
        ) { call throws(LoopError) in
            try open(call, context: context)
        }
    }

    static let studyType: HostType = {
        let type = makeStudyType()
        // An error in the loop body fails that trial with the real message, and the study goes
        // on with the next proposal (the contract); Ctrl-C still stops the loop.
        // Misusing the research primitives themselves (kind "research") is a bug in the script
        // and still stops it; a repeated error also stops the study by its guardrail.
        type.consumesBodyError = { object, error throws(LoopError) in
            let box = object as! StudyBox
            guard let id = box.current, error.kind != "research" else { return false }
            // The user stopped this trial and the body caught it: the loop ends (`loopEnded`).
            if box.currentWasStopped { return false }
            if error.kind == "deadline", error.message.hasPrefix(TrialBudget.prefix) {
                // The trial ran out of its budget: stopped from outside, not failed by its code.
                try box.endTrial(id, reason: error.message, status: .interrupted)
            } else {
                try box.endTrial(id, reason: StudyBox.describe(error))
            }
            box.current = nil
            return true
        }
        type.loopEnded = { object, error throws(LoopError) in try (object as! StudyBox).endLoop(error) }
        return type
    }()

    private static func makeStudyType() -> HostType { HostType(
        name: "Study", doc: "A named search kept in the project store; iterate it to run trials.",
        summary: { ($0 as! StudyBox).summary },
        members: [
            "name": .property(doc: "The study's name.") { .string(($0 as! StudyBox).name) },
            "best": .property(doc: "The best complete trial as {id, params, metrics, value}, or nil; with repeats, the finalist with the best mean (value and metrics are means over runs).") { object in
                let box = object as! StudyBox
                return box.study.best.map(box.bestRecord) ?? .nil
            },
            "stop_reason": .property(doc: "The guardrail that stopped the study (max_trials, max_time, patience, max_failures, repeated_error, near_duplicates, exhausted), or nil.") {
                ResearchValues.optional(($0 as! StudyBox).study.stopReason?.rawValue)
            },
            "trials": .property(doc: "Every trial as a record, like history(st).") { object in
                let box = object as! StudyBox
                return .list(box.study.trials.map(box.record))
            },
            "count": .property(doc: "How many trials have finished.") { .int(($0 as! StudyBox).study.trials.filter(\.status.isFinished).count) },
            "goal": .property(doc: "The goal, as maximize(\"metric\") or minimize(\"metric\").") {
                .handle(Handle(goalType, GoalBox(($0 as! StudyBox).goal)))
            },
            "space": .property(doc: "The search space.") { .handle(Handle(SpacePrimitives.spaceType, SpaceBox(($0 as! StudyBox).study.declaration.space))) },
            "strategy": .property(doc: "The proposal strategy's name (agent for agent(...)).") { object in
                let box = object as! StudyBox
                return .string(box.agent == nil ? box.study.declaration.strategy.rawValue : "agent")
            },
        ],
        makeIterator: { object, interpreter throws(LoopError) in
            // Each iteration writes a trial: pack code needs the store permission to run a study.
            try Capabilities.requireGrant(.store(primitive: "for t in \((object as! StudyBox).name)"), interpreter: interpreter)
            let box = object as! StudyBox
            // A new loop is a new run: settle what an earlier loop left running, restart the clock.
            try box.settleAll(reason: notRemembered)
            do throws(StudyError) { try box.study.restart() } catch { throw ResearchMessages.error(error) }
            // Held by the iterator, so the budget is also lifted when the loop ends by `break`,
            // `return` or an error (the iterator is released then).
            let budget = TrialBudget()
            return { () throws(LoopError) -> Value? in
                budget.lift()
                if let previous = box.current {
                    // Ctrl-C during the trial ends the loop even when the body caught it: the
                    // trial is `interrupted` (never complete), and no new trial starts.
                    if box.currentWasStopped {
                        try box.endLoop(LoopError(.interrupted))
                        throw LoopError(.interrupted)
                    }
                    try box.endTrial(previous, reason: notRemembered)
                }
                box.current = nil
                // A pending Ctrl-C (e.g. one that stopped an `exec`) ends the loop before a new trial starts.
                try Interrupt.check()
                guard let trial = try box.next() else {
                    // One that stopped the wait for other workers' trials ends it too.
                    try Interrupt.check()
                    box.progress.finish()
                    if let failure = box.failureError() { throw failure }
                    return nil
                }
                if let seconds = box.study.declaration.guardrails.trialBudget {
                    budget.impose(interpreter.startDeadline(seconds: seconds, reason: TrialBudget.reason(seconds)))
                }
                return trial
            }
        }) }

    private static func open(_ call: NativeCall, context: ResearchContext) throws(LoopError) -> Value {
        typealias P = StudyParameters
        let name = try call[P.name]
        if name.isEmpty { throw researchError("study: the name is empty") }
        let existing = try context.withStore { store throws(StoreError) in try store.study(named: name) }

        let space: Space
        switch try call[P.space] {
        case .handle(let h) where h.object is SpaceBox: space = (h.object as! SpaceBox).space
        case .record(let r): space = try SpacePrimitives.makeSpace(r)
        case .nil:
            guard let existing, let stored = SpaceJSON.decode(existing.space) else {
                throw researchError("study: '\(name)' does not exist yet; give its space: study(\"\(name)\", space: space {...}, goal: maximize(\"accuracy\"))")
            }
            space = stored
        case let other: throw researchError("study: space must be a Space (space {...}) or a record of ranges, got \(other.typeName)")
        }

        let goal: Goal
        switch try call[P.goal] {
        case .handle(let h) where h.object is GoalBox: goal = (h.object as! GoalBox).goal
        case .nil:
            if let existing, let metric = existing.goalMetric {
                goal = Goal(existing.goalDirection == .maximize ? .maximize : .minimize, metric)
            } else {
                goal = .minimize("loss")
            }
        case let other: throw researchError("study: goal must be maximize(\"metric\") or minimize(\"metric\"), got \(other.typeName)")
        }

        // An agent is never read back from the store: a study reopened without `strategy:` uses
        // the default, so a stored command cannot run without the script naming it.
        var strategy = Strategy.default
        var agent: AgentStrategy?
        switch try call[P.strategy] {
        case .nil: strategy = existing.flatMap { Strategy(rawValue: $0.strategy) } ?? .default
        case .string(let s): strategy = try parseStrategy(s, function: "study")
        case .handle(let h) where h.object is AgentStrategy: agent = (h.object as! AgentStrategy)
        case let other: throw call.wrongType(P.strategy.name, expected: "a String or agent(\"command\")", got: other)
        }
        let agentTimeout = try agentTimeout(call[P.agentTimeout], function: "study")
        // Checked before the study is opened, so a typo creates nothing.
        let pruner: any Pruner
        switch try call[P.pruner] {
        case "median": pruner = MedianPruner()
        case "asha": pruner = SuccessiveHalvingPruner()
        case "none": pruner = NoPruner()
        case let other: throw researchError("study: pruner must be \"median\", \"asha\" or \"none\", got \"\(other)\"")
        }

        var stored: [String: JSONValue] = [:]
        if let existing, case .object(let settings) = existing.settings { stored = settings }
        let seed = try call[P.seed] ?? existing?.seed ?? 0
        if let workers = try call[P.workers], !(1...WorkerRole.maxCount).contains(workers) {
            throw researchError("study: workers must be in 1...\(WorkerRole.maxCount), got \(workers)")
        }
        var declaration = StudyDeclaration(name: name, space: space, goal: goal, strategy: strategy,
                                           seed: UInt64(bitPattern: Int64(seed)),
                                           guardrails: try guardrails(call, stored: stored))
        try StudyOptions.apply(call, stored: stored, to: &declaration)
        // Reopening in the same process (a REPL cell run again): the old handle's running trial
        // must not stay running forever.
        try context.openStudies[name]?.settleAll(reason: notRemembered)
        let store = try context.openStore()
        let study: LoopResearch.Study
        let agentSampler = agent.map { AgentSampler(agent: $0, fallback: strategy.makeSampler(seed: declaration.seed), timeout: agentTimeout) }
        do throws(StudyError) {
            study = try LoopResearch.Study(declaration, store: StoreStudyStore(store: store, strategyLabel: agent == nil ? nil : "agent"),
                                           sampler: agentSampler, now: context.clock.now)
        } catch {
            if case .incompatibleSpace = error { throw researchError("study '\(name)': " + ResearchMessages.describe(error)) }
            throw ResearchMessages.error(error)
        }
        study.pruner = pruner
        // A full study whose last trials other workers are running: look again every 0.2 s
        // until they end (or die, and this process reruns them); Ctrl-C stops the wait.
        // Said once outside a worker (whose launcher shows the study's state): a loop that does
        // not end at once must say why.
        var said = context.worker != nil
        study.processSalt = processSalt
        study.waitForOtherProcesses = {
            if !said {
                StandardError.line("study \(name): max_trials reached; waiting for the trials other processes are still running (Ctrl-C stops waiting)")
                said = true
            }
            usleep(200_000)
            return !Interrupt.isRequested
        }
        let box = StudyBox(study: study, context: context, progress: StudyProgress(enabled: call.isGiven(P.progress) ? try call[P.progress] : context.showsProgressByDefault))
        if let agentSampler {
            box.agent = agentSampler
            agentSampler.request = { [weak box] in box?.agentRequest() ?? [:] }
        }
        context.openStudies[name] = box
        return .handle(Handle(studyType, box))
    }

    /// The guardrails: each one given in the call, else as the stored study had it, else the
    /// default (`Guardrails()`). Reopening a study by name keeps its limits.
    private static func guardrails(_ call: NativeCall, stored: [String: JSONValue]) throws(LoopError) -> Guardrails {
        typealias P = StudyParameters
        func count(_ p: Param<Int?>, _ fallback: Int?) throws(LoopError) -> Int? {
            guard let n = try call[p] else {
                guard let value = stored[p.name] else { return fallback }
                if case .int(let n) = value { return n }
                return nil  // stored as null: no limit
            }
            if n < 1 { throw researchError("study: \(p.name) must be at least 1, got \(n)") }
            return n
        }
        let defaults = Guardrails()
        var rails = defaults
        rails.maxTrials = try count(P.maxTrials, defaults.maxTrials)
        rails.patience = try count(P.patience, defaults.patience)
        rails.maxFailures = try count(P.maxFailures, defaults.maxFailures)
        rails.maxRepeatedError = try count(P.maxRepeatedError, defaults.maxRepeatedError)
        rails.maxNearDuplicates = try count(P.maxNearDuplicates, defaults.maxNearDuplicates)
        if let seconds = try call[P.maxTime] {
            if !(seconds >= 0) { throw researchError("study: max_time must be a Duration >= 0, like 10m") }
            rails.maxTime = seconds
        } else {
            rails.maxTime = stored[P.maxTime.name]?.doubleValue
        }
        if let delta = try call[P.minDelta] {
            if !(delta >= 0) { throw researchError("study: min_delta must be >= 0, got \(delta)") }
            rails.minDelta = delta
        } else {
            rails.minDelta = stored[P.minDelta.name]?.doubleValue ?? 0
        }
        return rails
    }

    /// What this process mixes into a study's proposals while other processes run its trials
    /// (`Study.processSalt`): different for every process, fixed within one.
    static let processSalt: UInt64 = {
        var salt = Hasher()
        salt.combine(ProcessOwner.current)
        return UInt64(bitPattern: Int64(salt.finalize()))
    }()

    /// `agent_timeout:` checked: a Duration > 0, else the agent default.
    static func agentTimeout(_ seconds: Double?, function: String) throws(LoopError) -> Double {
        guard let seconds else { return AgentStrategy.defaultTimeout }
        if !(seconds > 0) { throw researchError("\(function): agent_timeout must be a Duration > 0, like 30s; got \(seconds)s") }
        return seconds
    }

    static func parseStrategy(_ name: String, function: String) throws(LoopError) -> Strategy {
        if name == "default" { return .default }
        guard let s = Strategy(rawValue: name) else {
            let names = (Strategy.allCases.map(\.rawValue) + ["default"]).joined(separator: ", ")
            throw researchError("\(function): unknown strategy \"\(name)\"; use one of \(names)")
        }
        return s
    }
}
