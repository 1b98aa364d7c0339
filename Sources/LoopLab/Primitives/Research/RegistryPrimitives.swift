import Foundation
import LoopLang
import LoopStore
import LoopTrain

/// The model registry: `attach` keeps a trial's model with the trial, `promote` stores a new
/// version only when its gate passes (a rejected candidate is kept as evidence, never as
/// champion), `champion`, `versions` and `rollback`; `load_model("name@champion")` reads a
/// version back (`ModelReference`).
enum RegistryPrimitives {
    /// `promote`'s parameters, each declared once (see `Param`).
    enum PromoteParameters {
        static let candidate = Param.value("candidate", doc: "a Model, or a complete trial with an attached model (a Trial, st.best, history(st)[i])")
        static let name = Param.string("as", doc: "the registered model's name; the candidate becomes its next version")
        static let metrics = Param.optional("metrics", doc: "a record of numbers (required for a Model; added to a trial's own)")
        static let gate = Param.optional("gate", doc: "fn(new, champion) -> Bool: promoted only when true (no gate: always)")
        static let list = NativeParameters.list(candidate, name, metrics, gate)
    }

    private enum P {
        static let trial = Param.trial(doc: "a complete Trial of an open study (st.best, or t inside the loop)")
        static let model = Param.model(doc: "the trained Model to keep with the trial")
        static let name = Param.string("name", doc: "a registered model's name (given to promote as: ...)")
    }

    static func register(into registry: Registry, context: ResearchContext) {
        registry.function(
            "attach", NativeParameters.list(P.trial, P.model),
            doc: "Keeps the model's checkpoint with the trial in the project store, so promote(st.best, as: ...) can register it after the loop. Returns the checkpoint's path in the store."
        ) { call throws(LoopError) in
            let box = try call[P.trial]
            let model = try call[P.model]
            let checkpoint = try writeCheckpoint(model, function: "attach")
            defer { try? FileManager.default.removeItem(at: checkpoint) }
            let trial = box.trial
            return try context.withStore { store throws(StoreError) in
                let artifact = try store.putArtifact(fileAt: checkpoint, kind: "checkpoint",
                                                     name: "\(box.study.name) trial \(trial.number)")
                try store.attachArtifact(trialID: trial.id, role: modelRole, sha256: artifact.sha256)
                return .string(try store.artifactURL(artifact).path)
            }
        }

        registry.function(
            "promote", PromoteParameters.list,
            doc: "Registers a model, or a complete trial with its attached model (a Trial, st.best or a history row), as a new version of `as` when gate(candidate_metrics, champion_or_nil) is true (no gate: always); the checkpoint is stored as an artifact. Returns the version record."
        ) { call throws(LoopError) in
            typealias P = PromoteParameters
            let name = try call[P.name]
            guard !name.isEmpty else { throw researchError("promote: the name (as:) is empty") }
            var metrics: [String: Double] = [:]
            var trialID: Int64? = nil
            var checkpoint: URL? = nil
            var artifactSHA: String? = nil
            switch try call[P.candidate] {
            case .handle(let h) where h.object is ModelBox:
                checkpoint = try writeCheckpoint(h.object as! ModelBox, function: "promote")
            case let candidate:
                guard let id = trialKey(candidate) else {
                    throw call.wrongType(P.candidate.name, expected: "a Model, a Trial or a trial record (st.best, history(st)[i])", got: candidate)
                }
                let (trial, study, model) = try context.withStore { store throws(StoreError) in
                    let trial = try store.trial(id: id)
                    let study = try trial.flatMap { t throws(StoreError) in try store.study(id: t.studyID) }
                    return (trial, study, try store.trialArtifact(trialID: id, role: modelRole))
                }
                guard let trial else { throw researchError("promote: no trial with id \(id) in \(context.storeLocation)") }
                let label = "trial \(trial.number) of study '\(study?.name ?? "?")'"
                guard trial.state == .complete else {
                    throw researchError("promote: \(label) is \(trial.state.rawValue), not complete; remember(t, metrics) first")
                }
                guard let model else {
                    throw researchError("promote: \(label) has no model; call attach(t, model) in the loop body to keep it with the trial, or promote(model, as: \"\(name)\", metrics: ...)")
                }
                metrics = trial.metrics
                trialID = id
                artifactSHA = model.sha256
            }
            defer { if let checkpoint { try? FileManager.default.removeItem(at: checkpoint) } }
            let given = try call[P.metrics]
            if case .record(let r) = given {
                for (k, v) in r.fields {
                    guard let d = v.number else { throw researchError("promote: metric '\(k)' must be a number, got \(v.typeName)") }
                    metrics[k] = d
                }
            } else if case .nil = given {} else {
                throw call.wrongType(P.metrics.name, expected: "a Record of numbers", got: given)
            }
            if checkpoint != nil, metrics.isEmpty {
                let model = call.argumentName(P.candidate.name) ?? "model"
                throw researchError("promote: give a model's metrics, e.g. promote(\(model), as: \"\(name)\", metrics: eval(\(model), parts.val))")
            }
            let champion = try context.withStore { store throws(StoreError) in try store.champion(model: name) }
            var passed = true
            let gate = try call[P.gate]
            if case .function = gate {
                let old = try champion.map { v throws(LoopError) in try record(v, context: context) } ?? .nil
                let verdict = try call.call(gate, [ResearchValues.record(metrics), old])
                passed = verdict.isTruthy
            } else if case .nil = gate {} else {
                throw call.wrongType(P.gate.name, expected: "a Function (new, champion) -> Bool", got: gate)
            }
            // Only a version that would become champion needs the pack's right or the user's yes.
            if passed { try Capabilities.require(.promote(name: name), call) }
            let version = try context.withStore { store throws(StoreError) in
                let sha = try checkpoint.map { url throws(StoreError) in try store.putArtifact(fileAt: url, kind: "checkpoint", name: name).sha256 }
                return try store.registerModel(name, passedGate: passed, gate: ["passed": .bool(passed)], metrics: metrics,
                                               artifactSHA256: sha ?? artifactSHA, trialID: trialID)
            }
            return try record(version, context: context)
        }

        registry.function("champion", NativeParameters.list(P.name),
                          doc: "The current champion of a registered model as {name, version, status, metrics, checkpoint, artifact, trial, study, trial_number}, or nil; load_model(\"name@champion\") loads it.") { call throws(LoopError) in
            let name = try call[P.name]
            guard let v = try context.withStore({ store throws(StoreError) in try store.champion(model: name) }) else { return .nil }
            return try record(v, context: context)
        }
        registry.function("versions", NativeParameters.list(P.name),
                          doc: "Every version of a registered model (promoted, rejected, rolled back), oldest first, as champion() gives them.") { call throws(LoopError) in
            let name = try call[P.name]
            let all = try context.withStore { store throws(StoreError) in try store.versions(model: name) }
            var rows: [Value] = []
            for v in all { rows.append(try record(v, context: context)) }
            return .list(rows)
        }
        registry.function("rollback", NativeParameters.list(P.name),
                          doc: "Retires the champion; the previous promoted version (returned, or nil) becomes champion.") { call throws(LoopError) in
            let name = try call[P.name]
            guard let v = try context.withStore({ store throws(StoreError) in try store.rollback(model: name) }) else { return .nil }
            return try record(v, context: context)
        }
    }

    /// Under this role a trial keeps its model (`attach`).
    static let modelRole = "model"

    /// The store key of a trial given as a Trial or as a trial record (`st.best`, a history row).
    static func trialKey(_ value: Value) -> Int64? {
        switch value {
        case .handle(let h): return (h.object as? TrialBox).map(\.id)
        case .record(let r):
            guard case .int(let id)? = r.fields["id"], r.fields["params"] != nil else { return nil }
            return Int64(id)
        default: return nil
        }
    }

    /// A version as the language sees it: the registry row, where its checkpoint lives in the
    /// store, and which study and trial it came from.
    static func record(_ v: ModelVersion, context: ResearchContext) throws(LoopError) -> Value {
        let (checkpoint, trial, study) = try context.withStore { store throws(StoreError) in
            let checkpoint = try v.artifactSHA256.flatMap { sha throws(StoreError) in try store.artifact(sha256: sha) }
                .map { artifact throws(StoreError) in try store.artifactURL(artifact).path }
            let trial = try v.trialID.flatMap { id throws(StoreError) in try store.trial(id: id) }
            let study = try trial.flatMap { t throws(StoreError) in try store.study(id: t.studyID) }
            return (checkpoint, trial, study)
        }
        return ResearchValues.record([
            ("name", .string(v.name)), ("version", .int(v.version)), ("status", .string(v.status.rawValue)),
            ("metrics", ResearchValues.record(v.metrics)), ("checkpoint", ResearchValues.optional(checkpoint)),
            ("artifact", ResearchValues.optional(v.artifactSHA256)),
            ("trial", v.trialID.map { .int(Int($0)) } ?? .nil), ("study", ResearchValues.optional(study?.name)),
            ("trial_number", trial.map { .int($0.number) } ?? .nil),
        ])
    }

    /// The model as a safetensors file in a temporary directory, to be copied into the store.
    static func writeCheckpoint(_ box: ModelBox, function: String) throws(LoopError) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-\(function)-\(UUID().uuidString).safetensors")
        do { try Checkpoint.save(box.layer, to: url.path, metadata: CheckpointPrimitives.metadata(of: box)) } catch {
            throw researchError("\(function): cannot write the checkpoint: \(error)")
        }
        return url
    }
}
