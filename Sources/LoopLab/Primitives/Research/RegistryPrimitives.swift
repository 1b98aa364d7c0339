import Foundation
import LoopLang
import LoopStore
import LoopTrain

/// The model registry: `promote` stores a new version only when its gate passes (a rejected
/// candidate is kept as evidence, never as champion), `champion`, `versions` and `rollback`.
enum RegistryPrimitives {
    static func register(into registry: Registry, context: ResearchContext) {
        registry.function(
            "promote",
            [NativeParameter("candidate"), NativeParameter("as"), .optional("metrics"), .optional("gate")],
            doc: "Registers a trial or model as a new version of `as` when gate(candidate_metrics, champion_or_nil) is true (no gate: always); a model's checkpoint is stored as an artifact. Returns the version record."
        ) { call throws(LoopError) in
            let name = try call.string("as")
            guard !name.isEmpty else { throw researchError("promote: the name (as:) is empty") }
            var metrics: [String: Double] = [:]
            var trialID: Int64? = nil
            var checkpoint: URL? = nil
            switch call.value("candidate") {
            case .handle(let h) where h.object is TrialBox:
                let trial = h.object as! TrialBox
                guard let t = trial.study.study.trial(trial.id), t.status == .complete else {
                    throw researchError("promote: trial \(trial.id) is not complete; remember(t, metrics) first")
                }
                metrics = t.metrics
                trialID = trial.id
            case .handle(let h) where h.object is ModelBox:
                checkpoint = try writeCheckpoint(h.object as! ModelBox)
            case let other:
                throw call.wrongType("candidate", expected: "a Trial or a Model", got: other)
            }
            defer { if let checkpoint { try? FileManager.default.removeItem(at: checkpoint) } }
            if case .record(let r) = call.value("metrics") {
                for (k, v) in r.fields {
                    guard let d = v.number else { throw researchError("promote: metric '\(k)' must be a number, got \(v.typeName)") }
                    metrics[k] = d
                }
            } else if case .nil = call.value("metrics") {} else {
                throw call.wrongType("metrics", expected: "a Record of numbers", got: call.value("metrics"))
            }
            if checkpoint != nil, metrics.isEmpty {
                throw researchError("promote: give a model's metrics, e.g. promote(model, as: \"\(name)\", metrics: eval(model, parts.val))")
            }
            let champion = try context.withStore { store throws(StoreError) in try store.champion(model: name) }
            var passed = true
            if case .function = call.value("gate") {
                let verdict = try call.call(call.value("gate"), [ResearchValues.record(metrics), champion.map(record) ?? .nil])
                passed = verdict.isTruthy
            } else if case .nil = call.value("gate") {} else {
                throw call.wrongType("gate", expected: "a Function (new, champion) -> Bool", got: call.value("gate"))
            }
            // Only a version that would become champion needs the pack's right or the user's yes.
            if passed { try Capabilities.require(.promote(name: name), call) }
            let version = try context.withStore { store throws(StoreError) in
                let sha = try checkpoint.map { url throws(StoreError) in try store.putArtifact(fileAt: url, kind: "checkpoint", name: name).sha256 }
                return try store.registerModel(name, passedGate: passed, gate: ["passed": .bool(passed)], metrics: metrics,
                                               artifactSHA256: sha, trialID: trialID)
            }
            return record(version)
        }

        registry.function("champion", [NativeParameter("name")],
                          doc: "The current champion of a registered model as {name, version, status, metrics, artifact, trial}, or nil.") { call throws(LoopError) in
            let name = try call.string("name")
            return try context.withStore { store throws(StoreError) in try store.champion(model: name) }.map(record) ?? .nil
        }
        registry.function("versions", [NativeParameter("name")],
                          doc: "Every version of a registered model (promoted, rejected, rolled back), oldest first.") { call throws(LoopError) in
            let name = try call.string("name")
            return .list(try context.withStore { store throws(StoreError) in try store.versions(model: name) }.map(record))
        }
        registry.function("rollback", [NativeParameter("name")],
                          doc: "Retires the champion; the previous promoted version (returned, or nil) becomes champion.") { call throws(LoopError) in
            let name = try call.string("name")
            return try context.withStore { store throws(StoreError) in try store.rollback(model: name) }.map(record) ?? .nil
        }
    }

    static func record(_ v: ModelVersion) -> Value {
        ResearchValues.record([
            ("name", .string(v.name)), ("version", .int(v.version)), ("status", .string(v.status.rawValue)),
            ("metrics", ResearchValues.record(v.metrics)), ("artifact", ResearchValues.optional(v.artifactSHA256)),
            ("trial", v.trialID.map { .int(Int($0)) } ?? .nil),
        ])
    }

    /// The model as a safetensors file in a temporary directory, to be copied into the store.
    static func writeCheckpoint(_ box: ModelBox) throws(LoopError) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("looplab-promote-\(UUID().uuidString).safetensors")
        var metadata: [String: String] = [:]
        if let v = box.vocabulary { metadata[CheckpointPrimitives.vocabularyKey] = CheckpointPrimitives.json(v) }
        if let s = box.standardizer { metadata[CheckpointPrimitives.standardizerKey] = CheckpointPrimitives.json(s) }
        do { try Checkpoint.save(box.layer, to: url.path, metadata: metadata) } catch {
            throw researchError("promote: cannot write the checkpoint: \(error)")
        }
        return url
    }
}
