import LoopLang
import LoopSkills

/// What a primitive is about to do that a skill pack's manifest must grant, or the user's policy
/// may ask to confirm. Primitives call `Capabilities.require` before acting; see docs/skills.md.
enum Capability {
    /// Run a program (the command's first word).
    case exec(program: String)
    /// Create or replace the file at this path.
    case write(path: String)
    /// Store a new model-registry version.
    case promote(name: String)

    /// The policy's name for the action (`policy {confirm: ["exec"]}`).
    var action: String {
        switch self {
        case .exec: "exec"
        case .write: "write"
        case .promote: "promote"
        }
    }
}

/// The payload of a pack's principal: what its manifest declared and the user granted.
final class PackGrant {
    let pack: String
    let skill: String
    let permissions: Permissions

    init(pack: String, skill: String, permissions: Permissions) {
        self.pack = pack
        self.skill = skill
        self.permissions = permissions
    }
}

enum Capabilities {
    /// Throws "permission denied" when a pack on the call stack lacks the capability (every pack
    /// on the stack must grant it: calling a more trusted pack does not lend its rights), then
    /// asks for confirmation when the policy requires it.
    static func require(_ capability: Capability, _ call: NativeCall) throws(LoopError) {
        let interpreter = call.interpreter
        for principal in interpreter.activePrincipals {
            guard let grant = principal.payload as? PackGrant else { continue }
            if let denial = denial(of: capability, by: grant, projectDirectory: SkillsContext.projectDirectory(of: interpreter)) {
                throw LoopError(.host(kind: "permission", message: denial))
            }
        }
        try interpreter.attachment(Policy.self)?.confirm(capability)
    }

    /// Why the grant does not cover the capability, or nil when it does.
    static func denial(of capability: Capability, by grant: PackGrant, projectDirectory: String) -> String? {
        let who = "permission denied: skill \(grant.skill) (pack \(grant.pack)) may not"
        switch capability {
        case .exec(let program):
            if grant.permissions.allowsExec(program: program) { return nil }
            let granted = grant.permissions.descriptions.joined(separator: "; ")
            return "\(who) run '\(program)': its manifest does not grant it" + (granted.isEmpty ? " (it has no permissions)" : " (it may: \(granted))")
        case .write(let path):
            if grant.permissions.allowsWrite(path: path, projectDirectory: projectDirectory) { return nil }
            return "\(who) write '\(path)': its manifest does not grant writing there"
        case .promote(let name):
            // Promoting writes the project's model registry: packs need write access to it.
            if grant.permissions.allowsWrite(path: ".looplab/", projectDirectory: projectDirectory) { return nil }
            return "\(who) promote a model to '\(name)': its manifest does not grant writing .looplab/"
        }
    }
}
