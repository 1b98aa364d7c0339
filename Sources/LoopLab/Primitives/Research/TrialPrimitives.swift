import LoopLang
import LoopResearch

/// Trials in the language: the Trial type (`t.params`, `t.lr`, `t.should_prune()`...) and the
/// functions that end or report on one: `fail`, `prune`, `report` (`remember(t, ...)` is in
/// MemoryPrimitives).
enum TrialPrimitives {
    /// The Trial type of one space: the common members plus one property per parameter (nil
    /// when the parameter is inactive in the trial).
    ///
    /// The rule for names: the trial's own members always win, so `t.id`, `t.params`, `t.status`
    /// (and the rest) mean the same in every study; a parameter named like one of them is read
    /// as `t.params.id` or `t.get("id")` (which always work, for every parameter). Opening such
    /// a study says so once on stderr.
    static func makeType(for space: Space, studyName: String) -> HostType {
        let type = HostType(name: "Trial", doc: "One configuration a study is trying.", summary: { object in
            let box = object as! TrialBox
            let t = box.trial
            return "<Trial \(t.number) of \(box.study.name) \(t.status.rawValue) \(t.config)>"
        }, members: commonMembers())
        let shadowed = space.parameters.map(\.name).filter { type.members[$0] != nil }
        if !shadowed.isEmpty {
            let names = shadowed.map { "'\($0)'" }.joined(separator: ", ")
            let line = "study \(studyName): parameter \(names) has the name of a Trial member; t.\(shadowed[0]) is the trial's own, read the parameter as t.params.\(shadowed[0]) or t.get(\"\(shadowed[0])\")\n"
            StandardError.write(line)
        }
        for p in space.parameters where type.members[p.name] == nil {
            let name = p.name
            type.addMember(name, .property(doc: "The trial's value of \(name).") { object in
                (object as! TrialBox).trial.config[name].map(ResearchValues.value) ?? .nil
            })
        }
        return type
    }

    private static func commonMembers() -> [String: HostMember] {
        func box(_ o: AnyObject) -> TrialBox { o as! TrialBox }
        return [
            "number": .property(doc: "The trial's number within its study (0, 1, 2...), as messages and `looplab trials` show it.") { .int(box($0).trial.number) },
            "id": .property(doc: "The trial's key in the project store, unique across studies.") { .int(Int(box($0).trial.id)) },
            "params": .property(doc: "The configuration, as a record.") { o in
                let b = box(o)
                return ResearchValues.record(b.trial.config, space: b.study.study.declaration.space)
            },
            "status": .property(doc: "running, complete, failed, pruned, diverged, interrupted or stale.") {
                .string(box($0).trial.status.rawValue)
            },
            "metrics": .property(doc: "The metrics remembered for the trial (those given as whole numbers stay Ints).") { o in
                let t = box(o).trial
                return ResearchValues.record(t.metrics, integers: t.integerMetrics)
            },
            "value": .property(doc: "The goal metric's value once complete, else nil.") { ResearchValues.optional(box($0).trial.value) },
            "error": .property(doc: "Why the trial failed, or nil.") { ResearchValues.optional(box($0).trial.error) },
            "study": .property(doc: "The study's name.") { .string(box($0).study.name) },
            "seed": .property(doc: "The trial's own seed (from the study's seed and the trial's number; a repeat gets a new one), in 0..<2^31.") { o in
                let b = box(o)
                return .int(b.study.study.seed(of: b.trial))
            },
            "repeat": .property(doc: "0 for a proposed configuration; 1, 2... when the trial re-runs a finalist (study repeats:).") {
                .int(box($0).trial.repeatIndex)
            },
            "repeat_of": .property(doc: "The number of the trial a repeat runs again, else nil.") {
                box($0).trial.repeatOf.map { .int($0) } ?? .nil
            },
            "get": .method(NativeFunction("get", NativeParameters.list(P.name), doc: "The value of parameter `name` (nil if inactive).") { call throws(LoopError) in
                let b = try receiver(call)
                return b.trial.config[try call[P.name]].map(ResearchValues.value) ?? .nil
            }),
            "should_prune": .method(NativeFunction("should_prune", [], doc: "Whether the last report is worse than the median of other trials at that step.") { call throws(LoopError) in
                let b = try receiver(call)
                return .bool(b.study.study.shouldPrune(b.id))
            }),
        ]
    }

    private static func receiver(_ call: NativeCall) throws(LoopError) -> TrialBox {
        guard case .handle(let h) = call.receiver, let box = h.object as? TrialBox else {
            throw researchError("\(call.function.name): expected a Trial")
        }
        return box
    }

    private enum P {
        static let name = Param.string("name", doc: "a parameter of the study's space")
        static let trial = Param.trial()
        static let error = Param.optional("error", doc: "why: a caught error record (catch e) or a String")
    }

    static func register(into registry: Registry) {
        registry.function("fail", NativeParameters.list(P.trial, P.error),
                          doc: "Ends a running trial as failed, recording the error (a caught error record or a String).") { call throws(LoopError) in
            let box = try call[P.trial]
            let message: String?
            switch try call[P.error] {
            case .nil: message = nil
            case .string(let s): message = s
            case .record(let r):
                let text = r.fields["message"].map { Printer.display($0) } ?? Printer.display(.record(r))
                message = r.fields["kind"].map { "\(Printer.display($0)): \(text)" } ?? text
            case let other: message = Printer.display(other)
            }
            return try finish(box) { study throws(StudyError) in try study.fail(box.id, error: message) }
        }
        registry.function("prune", NativeParameters.list(P.trial),
                          doc: "Ends a running trial as pruned (stopped early because it looked worse than its peers).") { call throws(LoopError) in
            let box = try call[P.trial]
            return try finish(box) { study throws(StudyError) in try study.fail(box.id, error: nil, status: .pruned) }
        }
    }

    /// `report(t, step, value)`: records an intermediate value of a running trial (for
    /// `t.should_prune()`) and renews its heartbeat. `report` itself is registered by
    /// `ReportPrimitives`, which also writes study reports.
    static func reportValue(_ box: TrialBox, step stepValue: Value, value valueValue: Value, _ call: NativeCall) throws(LoopError) -> Value {
        guard case .int(let step) = stepValue else { throw call.wrongType("step", expected: "an Int", got: stepValue) }
        if case .nil = valueValue { throw researchError("report: give the trial's intermediate value, e.g. report(t, \(step), val_loss)") }
        guard let value = valueValue.number else { throw call.wrongType("value", expected: "a number", got: valueValue) }
        do throws(StudyError) { try box.study.study.report(box.id, step: step, value: value) } catch {
            throw ResearchMessages.error(error)
        }
        return .nil
    }

    /// Applies a final state to a trial and returns its history row.
    static func finish(_ box: TrialBox, _ body: (LoopResearch.Study) throws(StudyError) -> StudyTrial) throws(LoopError) -> Value {
        do throws(StudyError) { return box.study.record(try body(box.study.study)) } catch {
            throw ResearchMessages.error(error)
        }
    }
}
