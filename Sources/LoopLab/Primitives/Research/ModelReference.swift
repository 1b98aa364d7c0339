import LoopLang
import LoopStore

/// `load_model("digits-clf@champion")` and `load_model("digits-clf@3")`: a version of a model in
/// the project store's registry, read from its checkpoint artifact (its hash verified first).
enum ModelReference {
    /// The checkpoint file that `text` names when it is a registry reference (`NAME@champion`,
    /// `NAME@N`); nil when it is not one, so it is read as a path. A reference to something the
    /// registry does not have is an error that says what it does have.
    static func checkpointPath(_ text: String, call: NativeCall) throws(LoopError) -> String? {
        guard let at = text.lastIndex(of: "@") else { return nil }
        let name = String(text[..<at]), selector = String(text[text.index(after: at)...])
        let number = Int(selector)
        guard !name.isEmpty, selector == "champion" || (number ?? 0) > 0,
              let context = call.interpreter.attachment(ResearchContext.self) else { return nil }
        let function = call.function.name
        return try context.withStore { store throws(StoreError) -> Result<String, LoopError> in
            let versions = try store.versions(model: name)
            guard !versions.isEmpty else {
                let names = try store.modelNames()
                let known = names.isEmpty ? "the registry is empty" : "models: " + names.joined(separator: ", ")
                return .failure(researchError("\(function): no model '\(name)' in the registry of \(context.storeLocation) (\(known))"))
            }
            let listing = versions.map { "\($0.version) \($0.status.rawValue)" }.joined(separator: ", ")
            let chosen: ModelVersion?
            if let number { chosen = versions.first { $0.version == number } } else { chosen = try store.champion(model: name) }
            guard let chosen else {
                let what = number.map { "no version \($0)" } ?? "no champion (no promoted version)"
                return .failure(researchError("\(function): '\(name)' has \(what); versions: \(listing)"))
            }
            guard let sha = chosen.artifactSHA256 else {
                return .failure(researchError("\(function): '\(name)' version \(chosen.version) was registered without a checkpoint"))
            }
            return .success(try store.verifiedArtifactURL(sha256: sha).path)
        }.get()
    }
}
