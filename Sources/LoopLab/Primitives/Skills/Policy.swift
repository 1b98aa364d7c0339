import LoopLang

/// The loop's own rules: which actions need a person's confirmation first. Set by
/// `policy {confirm: [...]}` in a script or `confirm = [...]` in `.looplab/policy.toml`.
final class Policy {
    static let actions = ["exec", "promote", "write"]
    /// nil until the policy file is read (at the first action that could need confirming, so a
    /// broken file is reported where it matters) or `policy {...}` sets the rules.
    private var confirm: Set<String>?
    let projectDirectory: String
    let confirmer: any Confirmer

    init(projectDirectory: String, confirmer: any Confirmer) {
        self.projectDirectory = projectDirectory
        self.confirmer = confirmer
    }

    func set(confirm actions: Set<String>) { confirm = actions }

    /// Adds to the rules without dropping any (what code from a pack may do): the project's
    /// file is read first, so adding to it never clears it.
    func add(confirm actions: Set<String>) throws(LoopError) {
        if confirm == nil { confirm = try PolicyFile.confirmActions(projectDirectory: projectDirectory) }
        confirm?.formUnion(actions)
    }

    /// Asks before the action when the policy names it; refusal and "nobody to ask" are errors.
    func confirm(_ capability: Capability) throws(LoopError) {
        if confirm == nil { confirm = try PolicyFile.confirmActions(projectDirectory: projectDirectory) }
        guard let action = capability.action, confirm?.contains(action) == true else { return }
        let question: String
        switch capability {
        case .exec(let program): question = "policy: allow running '\(program)'?"
        case .write(let path): question = "policy: allow writing '\(path)'?"
        case .promote(let name): question = "policy: allow promoting a new version of '\(name)'?"
        case .read, .environment, .store: return
        }
        switch confirmer.confirm(question) {
        case true?: return
        case false?:
            throw LoopError(.host(kind: "permission", message: "refused: \(action) was not confirmed (policy)"))
        case nil:
            throw LoopError(.host(kind: "permission", message:
                "refused: the policy requires confirming \(action) and there is no terminal to ask; rerun with --yes (or LOOPLAB_YES=1) to allow it"))
        }
    }
}
