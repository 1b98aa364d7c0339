import LoopLang
import LoopResearch
import LoopStore

/// `remember`, `recall` and `history`: what the loop keeps and finds again.
enum MemoryPrimitives {
    private enum P {
        static let subject = Param.optional("subject", doc: "a Trial to complete, or a finding (a String) to keep as a note")
        static let metrics = Param.optional("metrics", doc: "a Trial's metrics: a record of numbers, or a number for the goal metric")
        static let tags = Param.strings("tags", default: [], doc: "Strings to file a note or memory under")
        static let query = Param.string("query", doc: "words to search for")
        static let limit = Param.int("limit", default: 10, doc: "at most this many hits")
        static let study = Param.study()
    }

    static func register(into registry: Registry, context: ResearchContext) {
        registry.function(
            "remember", NativeParameters.list(P.subject, P.metrics, P.tags),
            acceptsExtraNamed: true,
            doc: "remember(t, metrics) completes a trial; remember(\"finding\", tags: [...]) keeps a note; remember(key: value) sets a memory."
        ) { call throws(LoopError) in
            switch try call[P.subject] {
            case .handle(let h) where h.object is TrialBox:
                return try completeTrial(h.object as! TrialBox, try call[P.metrics])
            case .string(let text):
                let tags = try call[P.tags]
                let studyID = context.openStudies.count == 1 ? context.openStudies.values.first?.study.id : nil
                _ = try context.withStore { store throws(StoreError) in try store.remember(text, tags: tags, studyID: studyID) }
                return .nil
            case .nil where !call.extraNamed.isEmpty:
                let tags = try call[P.tags]
                for (key, value) in call.extraNamed {
                    guard let json = ResearchValues.json(value) else {
                        throw researchError("remember: \(key) cannot be stored (\(value.typeName) has no JSON form)")
                    }
                    _ = try context.withStore { store throws(StoreError) in try store.setMemory(key, to: json, tags: tags) }
                }
                return .nil
            case let other:
                throw researchError("remember: expected a Trial and its metrics, a finding as a String, or key: value pairs; got \(other.typeName)")
            }
        }

        registry.register(RecallHitBox.type)
        registry.function("recall", NativeParameters.list(P.query, P.limit),
                          doc: "Full-text search over notes, studies and trials, notes first: a list of hits (hit.kind, id, title, snippet, score; a note's text and tags; a key memory's value), each printing as what was remembered.") { call throws(LoopError) in
            let query = try call[P.query]
            let limit = try call[P.limit]
            let hits = try context.withStore { store throws(StoreError) -> [RecallHitBox] in
                try store.recall(query, limit: max(limit, 0)).map { hit throws(StoreError) in
                    RecallHitBox(hit, note: hit.kind == .note ? try store.note(id: hit.id) : nil)
                }
            }
            return .list(hits.map { .handle(Handle(RecallHitBox.type, $0)) })
        }

        registry.function("history", NativeParameters.list(P.study),
                          doc: "A study's trials (a Study or a study's name) as records {id, status, params, metrics, value, error}.") { call throws(LoopError) in
            switch try call[P.study] {
            case .open(let box):
                return .list(box.study.trials.map(box.record))
            case .named(let name):
                let (study, trials) = try StoredStudy.load(name, context: context, function: "history")
                let space = SpaceJSON.decode(study.space)
                return .list(trials.map { t in
                    let config = space.map { ResearchValues.config(fromJSON: t.params, space: $0) }
                        ?? Config(t.params.compactMapValues { ResearchValues.parameterValue($0, for: nil) })
                    return ResearchValues.record([
                        ("number", .int(t.number)), ("id", .int(Int(t.id))), ("status", .string(t.state.rawValue)),
                        ("params", ResearchValues.record(config, space: space ?? (try! Space([])))),
                        ("metrics", ResearchValues.record(t.metrics, integers: t.integerMetrics)), ("value", ResearchValues.optional(t.value)),
                        ("error", ResearchValues.optional(t.error)),
                    ])
                })
            }
        }
    }

    /// `remember(t, metrics)`: a record of numbers, or a bare number for the goal metric.
    private static func completeTrial(_ box: TrialBox, _ metrics: Value) throws(LoopError) -> Value {
        // A trial whose budget ran out (a `train` stopped early by it) must not complete.
        try Interrupt.checkDeadline()
        // Nor one the user stopped (Ctrl-C, SIGTERM) whose body caught the interrupt: it is
        // recorded `interrupted`, and the loop ends at its next step.
        if box.study.wasStopped(box.id) {
            try box.study.settle(box.id, reason: StudyBox.stopReason, status: .interrupted)
            return box.study.record(box.trial)
        }
        // A trial that `train(..., trial: t)` pruned or stopped keeps that status.
        if box.trial.status == .pruned || box.trial.status == .interrupted { return box.study.record(box.trial) }
        var numbers: [String: Double] = [:]
        var integers: Set<String> = []
        switch metrics {
        case .record(let r) where ExecPrimitives.result(of: r) != nil:
            // remember(t, exec(...)): a command that did not succeed ends the trial with why; a
            // successful one must have printed the goal metric as a `key: value` line.
            let result = ExecPrimitives.result(of: r)!
            if let failure = result.failure {
                let status: TrialStatus = result.status == "interrupted" ? .interrupted : .failed
                return try TrialPrimitives.finish(box) { study throws(StudyError) in try study.fail(box.id, error: failure, status: status) }
            }
            for (name, v) in result.metrics.fields {
                if let d = v.number { numbers[name] = d }
                if case .int = v { integers.insert(name) }
            }
            if numbers[box.study.goal.metric] == nil {
                let message = "exec printed no '\(box.study.goal.metric): <number>' line (the study's goal)"
                return try TrialPrimitives.finish(box) { study throws(StudyError) in try study.fail(box.id, error: message) }
            }
        case .record(let r):
            for (name, v) in r.fields {
                switch v {
                case .int(let i):
                    numbers[name] = Double(i)
                    integers.insert(name)
                case .float(let d), .duration(let d): numbers[name] = d
                default: continue  // non-numeric fields (a model, a confusion matrix) are not metrics
                }
            }
        case .int, .float:
            numbers[box.study.goal.metric] = metrics.number!
            if case .int = metrics { integers.insert(box.study.goal.metric) }
        case .nil:
            throw researchError("remember: give the trial's metrics, e.g. remember(t, {\(box.study.goal.metric): 0.93})")
        case let other:
            throw researchError("remember: metrics must be a record of numbers or a number, got \(other.typeName)")
        }
        return try TrialPrimitives.finish(box) { study throws(StudyError) in
            try study.complete(box.id, metrics: numbers, integerMetrics: integers)
        }
    }
}

/// A study read straight from the store (by name), for `history`, `export` and the command line.
enum StoredStudy {
    static func load(_ name: String, context: ResearchContext, function: String) throws(LoopError) -> (LoopStore.Study, [Trial]) {
        let found = try context.withStore { store throws(StoreError) -> Result<(LoopStore.Study, [Trial]), LoopError> in
            guard let study = try store.study(named: name) else {
                return .failure(researchError("\(function): " + store.missingStudyDescription(name)))
            }
            return .success((study, try store.trials(studyID: study.id)))
        }
        return try found.get()
    }
}
