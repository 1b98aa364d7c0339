import Foundation
import LoopLang
import LoopPlot
import LoopResearch
import LoopSkills
import LoopStore
import LoopSupport

/// A study `ask` and `tell` work on: the research engine's `Study` over the store, as a `for`
/// loop in a script holds it, and the trials this server handed out and was not yet told about.
final class OpenStudy {
    let study: LoopResearch.Study
    var handedOut: Set<Int64> = []

    init(_ study: LoopResearch.Study) { self.study = study }

    /// Ends the trials nobody will tell about any more (the server is closing): `interrupted`,
    /// so they are neither complete nor left running.
    func abandonAll() {
        for id in handedOut.sorted() where study.trial(id)?.status == .running {
            _ = try? study.fail(id, error: "looplab mcp closed before the trial was told", status: .interrupted)
        }
        handedOut = []
    }
}

extension Toolbox {
    // MARK: Reading studies

    func storedStudy(_ name: String, tool: String) throws(Failure) -> LoopStore.Study {
        let found = try withStore { store throws(StoreError) in try store.study(named: name) }
        guard let found else {
            let names = (try? withStore { store throws(StoreError) in try store.studies().map(\.name) }) ?? []
            throw Failure("\(tool): no study named '\(name)'" + NameSuggestions.clause(for: name, in: names)
                          + (names.isEmpty ? " (the store has no studies yet; create_study makes one)" : ""))
        }
        return found
    }

    func listStudies() throws(Failure) -> Output {
        let rows = try withStore { store throws(StoreError) -> [JSONValue] in
            try store.studies().map { s throws(StoreError) -> JSONValue in
                let trials = try store.trials(studyID: s.id)
                let best = try store.bestTrial(studyID: s.id)
                return [
                    "name": .string(s.name), "goal": Self.goalJSON(s), "strategy": .string(s.strategy),
                    "trials": .int(trials.count), "complete": .int(trials.filter { $0.state == .complete }.count),
                    "best_value": best?.value.map { .number($0) } ?? .null,
                    "stop_reason": s.stopReason.map { .string($0) } ?? .null,
                ]
            }
        }
        return Output(["studies": .array(rows)])
    }

    /// Counts by status, the best trial, why it stopped and its guardrails.
    func summary(_ name: String) throws(Failure) -> JSONValue {
        let study = try storedStudy(name, tool: "study_summary")
        let (trials, best) = try withStore { store throws(StoreError) in
            (try store.trials(studyID: study.id), try store.bestTrial(studyID: study.id))
        }
        var counts: [String: JSONValue] = [:]
        for t in trials { counts[t.state.rawValue] = .int((counts[t.state.rawValue]?.intValue ?? 0) + 1) }
        return [
            "name": .string(study.name), "goal": Self.goalJSON(study), "strategy": .string(study.strategy),
            "space": study.space, "trials": .int(trials.count), "counts": .object(counts),
            "best": best.map { trialJSON($0, rationales: [:]) } ?? .null,
            "stop_reason": study.stopReason.map { .string($0) } ?? .null,
            "guardrails": study.settings,
        ]
    }

    static func goalJSON(_ study: LoopStore.Study) -> JSONValue {
        ["metric": study.goalMetric.map { .string($0) } ?? .null, "direction": .string(study.goalDirection.rawValue)]
    }

    func trialJSON(_ t: Trial, rationales: [Int64: String]) -> JSONValue {
        var o: [String: JSONValue] = [
            "number": .int(t.number), "status": .string(t.state.rawValue), "params": .object(t.params),
            "metrics": .object(t.metrics.mapValues { $0.isFinite ? .number($0) : .null }),
            "value": t.value.map { .number($0) } ?? .null, "error": t.error.map { .string($0) } ?? .null,
        ]
        if let original = t.repeatOf { o["repeat_of"] = .int(original) }
        if let rationale = rationales[t.id] { o["rationale"] = .string(rationale) }
        return .object(o)
    }

    func trials(_ args: Arguments) throws(Failure) -> Output {
        let study = try storedStudy(try args.study(), tool: "trials")
        var states: Set<TrialState>?
        if let status = try args.optionalString("status") {
            guard let state = TrialState(rawValue: status) else {
                throw Failure("trials: unknown status '\(status)'; use one of " + TrialState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            states = [state]
        }
        let limit = try args.int("limit", in: 1...100_000) ?? 100
        let order = try args.optionalString("order") ?? "number"
        guard order == "number" || order == "best" else { throw Failure("trials: order must be \"number\" or \"best\", got \"\(order)\"") }
        let (all, notes) = try withStore { store throws(StoreError) in
            (try store.trials(studyID: study.id, states: states), try store.notes(studyID: study.id))
        }
        var chosen: [Trial]
        if order == "best" {
            let maximize = study.goalDirection == .maximize
            chosen = all.filter { $0.state == .complete && $0.value != nil }
                .sorted { a, b in a.value! == b.value! ? a.number < b.number : (maximize ? a.value! > b.value! : a.value! < b.value!) }
            chosen = Array(chosen.prefix(limit))
        } else {
            chosen = Array(all.sorted { $0.number < $1.number }.suffix(limit))
        }
        let rationales = AgentNotes.byTrial(notes)
        var rows: [JSONValue] = []
        for t in chosen { rows.append(trialJSON(t, rationales: rationales)) }
        return Output(["study": .string(study.name), "total": .int(all.count), "trials": .array(rows)])
    }

    func best(_ args: Arguments) throws(Failure) -> Output {
        let study = try storedStudy(try args.study(), tool: "best")
        let (best, notes) = try withStore { store throws(StoreError) in (try store.bestTrial(studyID: study.id), try store.notes(studyID: study.id)) }
        return Output(best.map { trialJSON($0, rationales: AgentNotes.byTrial(notes)) } ?? .null)
    }

    func importance(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.study()
        _ = try storedStudy(name, tool: "importance")
        guard let data = try withStore({ store throws(StoreError) in try StudyReportData.load(name, from: store) }) else {
            throw Failure("importance: no study named '\(name)'")
        }
        let ranked = data.importances.sorted { $0.importance > $1.importance }
        return Output([
            "study": .string(name), "complete_trials": .int(data.complete.count),
            "importance": .array(ranked.map { ["parameter": .string($0.name), "importance": .number($0.importance)] }),
            "method": "fANOVA on a random forest of the complete trials (the share of the variance each parameter explains)",
        ])
    }

    func report(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.study()
        _ = try storedStudy(name, tool: "report")
        let given = try args.optionalString("path")
        if let given {
            // The same rule as run_loop's writes: only with --allow-write, only under the project
            // directory, never into the store's own files.
            guard grants.write, Permissions(write: ["."]).allowsWrite(path: given, projectDirectory: projectDirectory), given.hasSuffix(".html") else {
                throw Failure("report: path must be an .html file under the project directory, and writing one of your choice needs the server started with --allow-write; leave path out to write .looplab/reports/\(name).html")
            }
        }
        guard let data = try withStore({ store throws(StoreError) in try StudyReportData.load(name, from: store) }) else {
            throw Failure("report: no study named '\(name)'")
        }
        let store = try openStore()
        let html = StudyReportPage.html(data, storePath: Store.displayLocation(store.location))
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        let path = given.map { $0.hasPrefix("/") ? $0 : projectDirectory + "/" + $0 }
            ?? projectDirectory + "/.looplab/reports/\(safe).html"
        do throws(POSIXFiles.Failure) {
            try POSIXFiles.makeDirectory(POSIXFiles.parent(path))
            try POSIXFiles.writeText(path, html)
        } catch {
            throw Failure("report: cannot write \(path): \(error.reason)")
        }
        var images: [Image] = []
        var charts: [JSONValue] = []
        func add(_ chartName: String, _ svg: String) {
            images.append(Image(base64: Data(svg.utf8).base64EncodedString(), mimeType: "image/svg+xml"))
            charts.append(.string(chartName))
        }
        if !data.complete.isEmpty {
            add("history", SVGRenderer.render(StudyReportCharts.history(data), size: .init(width: 760, height: 360)))
        }
        if !data.importances.isEmpty {
            add("importance", SVGRenderer.render(StudyReportCharts.importance(data), size: .init(width: 760, height: 0)))
        }
        return Output(["study": .string(name), "path": .string(path), "charts": .array(charts), "trials": .int(data.trials.count)], images: images)
    }

    // MARK: Changing studies

    func createStudy(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.string("name")
        guard !name.isEmpty, name.count <= 200 else { throw Failure("create_study: the name must be 1 to 200 characters") }
        let space: Space
        do throws(SpaceJSON.Failure) { space = try SpaceJSON.parse(args.values["space"] ?? .null) } catch {
            throw Failure("create_study: space: \(error.message)")
        }
        guard let goalObject = try args.object("goal"), case .string(let metric)? = goalObject["metric"], !metric.isEmpty else {
            throw Failure("create_study: goal must be {\"metric\": \"accuracy\", \"direction\": \"maximize\"}")
        }
        let directionName = goalObject["direction"]?.stringValue ?? "minimize"
        guard let direction = Goal.Direction(rawValue: directionName) else {
            throw Failure("create_study: goal.direction must be \"maximize\" or \"minimize\", got \"\(directionName)\"")
        }
        let existing = try withStore { store throws(StoreError) in try store.study(named: name) }
        var declaration = existing.flatMap(StoreStudyStore.declaration(of:))
            ?? StudyDeclaration(name: name, space: space, goal: Goal(direction, metric))
        declaration.space = space
        declaration.goal = Goal(direction, metric)
        if let strategy = try args.optionalString("strategy") { declaration.strategy = try Self.strategy(strategy, tool: "create_study") }
        if let seed = try args.int("seed") { declaration.seed = UInt64(seed) }
        if let n = try args.int("max_trials", in: 1...10_000_000) { declaration.guardrails.maxTrials = n }
        if let seconds = try args.number("max_time_seconds") {
            guard seconds > 0 else { throw Failure("create_study: max_time_seconds must be > 0") }
            declaration.guardrails.maxTime = seconds
        }
        if let n = try args.int("patience", in: 1...10_000_000) { declaration.guardrails.patience = n }
        if let n = try args.int("max_failures", in: 1...10_000_000) { declaration.guardrails.maxFailures = n }
        if case .bool(let allow)? = args.values["allow_repeat"] { declaration.allowRepeat = allow }
        try openStudy(declaration, replacing: true)
        return Output(try summary(name))
    }

    static func strategy(_ name: String, tool: String) throws(Failure) -> Strategy {
        if name == "default" { return .default }
        guard let s = Strategy(rawValue: name) else {
            throw Failure("\(tool): unknown strategy '\(name)'; use one of default, " + Strategy.allCases.map(\.rawValue).joined(separator: ", ")
                          + " (an agent proposer is the client itself: use ask and tell)")
        }
        return s
    }

    func setStrategy(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.study()
        let stored = try storedStudy(name, tool: "set_strategy")
        guard var declaration = StoreStudyStore.declaration(of: stored) else { throw Failure("set_strategy: study '\(name)' has a space Looplab cannot read") }
        declaration.strategy = try Self.strategy(try args.string("strategy"), tool: "set_strategy")
        try openStudy(declaration, replacing: true)
        return Output(try summary(name))
    }

    /// Opens the study through the research engine (writing its declaration), keeping the
    /// trials handed out by an earlier handle.
    @discardableResult
    private func openStudy(_ declaration: StudyDeclaration, replacing: Bool) throws(Failure) -> OpenStudy {
        if !replacing, let open = studies[declaration.name] { return open }
        let store = try openStore()
        let study: LoopResearch.Study
        do throws(StudyError) {
            // A study an agent(...) strategy proposes for keeps that label: ask (whose caller is
            // the agent here) proposes with the default strategy without rewriting it.
            let label = try? store.study(named: declaration.name)?.strategy
            study = try LoopResearch.Study(declaration, store: StoreStudyStore(store: store, strategyLabel: label == "agent" ? "agent" : nil),
                                           now: Monotonic.seconds)
        } catch {
            throw Failure("study '\(declaration.name)': " + ResearchMessages.describe(error))
        }
        study.processSalt = StudyPrimitives.processSalt
        let open = OpenStudy(study)
        open.handedOut = studies[declaration.name]?.handedOut ?? []
        studies[declaration.name] = open
        return open
    }

    /// The study as `ask`/`tell` hold it; `fresh` reads it from the store again (another process
    /// changed it), keeping the trials this server handed out.
    private func openByName(_ name: String, tool: String, fresh: Bool = false) throws(Failure) -> OpenStudy {
        if !fresh, let open = studies[name] { return open }
        let stored = try storedStudy(name, tool: tool)
        guard let declaration = StoreStudyStore.declaration(of: stored) else { throw Failure("\(tool): study '\(name)' has a space Looplab cannot read") }
        return try openStudy(declaration, replacing: fresh)
    }

    func ask(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.study()
        let n = try args.int("n", in: 1...100) ?? 1
        let open = try openByName(name, tool: "ask")
        var rows: [JSONValue] = []
        for _ in 0..<n {
            let trial: StudyTrial?
            do throws(StudyError) { trial = try open.study.next() } catch {
                throw Failure("ask: " + ResearchMessages.describe(error))
            }
            guard let trial else { break }
            open.handedOut.insert(trial.id)
            var row: [String: JSONValue] = ["number": .int(trial.number), "params": .object(ResearchValues.jsonParams(trial.config)),
                                            "seed": .int(open.study.seed(of: trial))]
            if let original = trial.repeatOf { row["repeat_of"] = .int(original) }
            rows.append(.object(row))
        }
        let stop = rows.count < n ? open.study.stopReason?.rawValue : nil
        return Output(["trials": .array(rows), "stop_reason": stop.map { .string($0) } ?? .null])
    }

    func tell(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.study()
        guard let number = try args.int("number") else { throw Failure("tell: missing required argument 'number'") }
        let status = try args.optionalString("status") ?? "complete"
        let metrics = try args.metrics()
        let reason = try args.optionalString("error")
        let failures: [String: TrialStatus] = ["failed": .failed, "pruned": .pruned, "diverged": .diverged]
        guard status == "complete" || failures[status] != nil else {
            throw Failure("tell: status must be \"complete\", \"failed\", \"pruned\" or \"diverged\", got \"\(status)\"")
        }
        var open = try openByName(name, tool: "tell")
        var trial = open.study.trials.first { $0.number == number }
        if trial == nil {
            // Asked through another process (or an earlier server): read the study again.
            open = try openByName(name, tool: "tell", fresh: true)
            trial = open.study.trials.first { $0.number == number }
        }
        guard let trial else { throw Failure("tell: study '\(name)' has no trial \(number) (ask hands out trials; add_trial records one evaluated elsewhere)") }
        let finished: StudyTrial
        do throws(StudyError) {
            if status == "complete" {
                finished = try open.study.complete(trial.id, metrics: metrics)
            } else {
                finished = try open.study.fail(trial.id, error: reason ?? status, status: failures[status]!)
            }
        } catch {
            throw Failure("tell: " + ResearchMessages.describe(error))
        }
        open.handedOut.remove(trial.id)
        let best = try withStore { store throws(StoreError) in try store.bestTrial(studyID: open.study.id) }
        return Output([
            "number": .int(finished.number), "status": .string(finished.status.rawValue),
            "value": finished.value.map { .number($0) } ?? .null, "error": finished.error.map { .string($0) } ?? .null,
            "best": best.map { trialJSON($0, rationales: [:]) } ?? .null,
        ])
    }

    func addTrial(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.study()
        let stored = try storedStudy(name, tool: "add_trial")
        guard let declaration = StoreStudyStore.declaration(of: stored) else { throw Failure("add_trial: study '\(name)' has a space Looplab cannot read") }
        let params = try args.object("params") ?? [:]
        let config: Config
        switch AgentStrategy.configuration(params, in: declaration.space) {
        case .success(let c): config = c
        case .failure(let failure): throw Failure("add_trial: params: \(failure.reason)")
        }
        let metrics = try args.metrics()
        let status = try args.optionalString("status") ?? "complete"
        let state: TrialState
        var value: Double?
        switch status {
        case "complete":
            guard let v = metrics[declaration.goal.metric] else {
                throw Failure("add_trial: metrics must include the goal metric '\(declaration.goal.metric)' for a complete trial (given: \(metrics.keys.sorted().joined(separator: ", ")))")
            }
            state = v.isFinite ? .complete : .diverged
            value = v.isFinite ? v : nil
        case "failed": state = .failed
        case "pruned": state = .pruned
        default: throw Failure("add_trial: status must be \"complete\", \"failed\" or \"pruned\", got \"\(status)\"")
        }
        let error = try args.optionalString("error")
        let trial = try withStore { store throws(StoreError) in
            try store.recordTrial(studyID: stored.id, params: ResearchValues.jsonParams(config), state: state, metrics: metrics, value: value, error: error)
        }
        // The engine reads the study again at the next ask, so its proposals know this trial.
        if studies[name] != nil { _ = try openByName(name, tool: "add_trial", fresh: true) }
        return Output(trialJSON(trial, rationales: [:]))
    }

    // MARK: Memory and the registry

    func remember(_ args: Arguments) throws(Failure) -> Output {
        let text = try args.string("text")
        guard !text.isEmpty else { throw Failure("remember: text is empty") }
        let tags = try args.strings("tags")
        var studyID: Int64?
        var trialID: Int64?
        if let name = try args.optionalString("study") {
            let study = try storedStudy(name, tool: "remember")
            studyID = study.id
            if let number = try args.int("trial") {
                let trials = try withStore { store throws(StoreError) in try store.trials(studyID: study.id) }
                guard let t = trials.first(where: { $0.number == number }) else { throw Failure("remember: study '\(name)' has no trial \(number)") }
                trialID = t.id
            }
        } else if args.values["trial"] != nil {
            throw Failure("remember: trial needs study")
        }
        let note = try withStore { store throws(StoreError) in try store.remember(text, tags: tags, studyID: studyID, trialID: trialID) }
        return Output(["id": .int(Int(note.id)), "text": .string(note.text), "tags": .array(note.tags.map { .string($0) })])
    }

    func promote(_ args: Arguments) throws(Failure) -> Output {
        let name = try args.string("name")
        let studyName = try args.study()
        guard let number = try args.int("trial") else { throw Failure("promote: missing required argument 'trial'") }
        let study = try storedStudy(studyName, tool: "promote")
        let trials = try withStore { store throws(StoreError) in try store.trials(studyID: study.id) }
        guard let t = trials.first(where: { $0.number == number }) else { throw Failure("promote: study '\(studyName)' has no trial \(number)") }
        let candidate = Value.record(pairs: [("id", .int(Int(t.id))), ("params", .record(pairs: []))])
        return try primitive("promote", [candidate], named: [("as", .string(name))])
    }
}
