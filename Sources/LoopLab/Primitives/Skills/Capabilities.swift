import LoopLang
import LoopSkills

/// What a primitive is about to do that a skill pack's manifest must grant, or the user's policy
/// may ask to confirm. Most primitives are checked by the gate every host primitive goes
/// through (`Capabilities+Primitives.swift`); `exec`, `promote` and `save_skill` also check
/// themselves, once they know what they will run or write. See docs/skills.md.
enum Capability {
    /// Run a program (argv[0]).
    case exec(program: String)
    /// Create or replace the file at this path.
    case write(path: String)
    /// Read the file at this path.
    case read(path: String)
    /// Read this environment variable.
    case environment(name: String)
    /// Write to the project store (memory, studies and trials, the registry) through `primitive`.
    case store(primitive: String)
    /// Store a new model-registry version.
    case promote(name: String)

    /// The policy's name for the action (`policy {confirm: ["exec"]}`); nil when the policy has
    /// nothing to confirm about it.
    var action: String? {
        switch self {
        case .exec: "exec"
        case .write: "write"
        case .promote: "promote"
        case .read, .environment, .store: nil
        }
    }
}

/// The payload of a pack's principal: what the user granted it (from the lock, for the files the
/// lock's hash names) and where its files are.
final class PackGrant {
    let pack: String
    let skill: String
    let permissions: Permissions
    /// The installed pack's directory, which its code may always read.
    let directory: String?
    /// Why the pack runs with fewer permissions than its manifest asks for, for denials.
    let note: String?

    init(pack: String, skill: String, permissions: Permissions, directory: String? = nil, note: String? = nil) {
        self.pack = pack
        self.skill = skill
        self.permissions = permissions
        self.directory = directory
        self.note = note
    }
}

enum Capabilities {
    /// Throws "permission denied" when a pack on the call stack lacks the capability (every pack
    /// on the stack must grant it: calling a more trusted pack does not lend its rights), then
    /// asks for confirmation when the policy requires it.
    static func require(_ capability: Capability, _ call: NativeCall) throws(LoopError) {
        try requireGrant(capability, interpreter: call.interpreter)
        if capability.action != nil { try call.interpreter.attachment(Policy.self)?.confirm(capability) }
    }

    /// The pack half of `require`: no policy question.
    static func requireGrant(_ capability: Capability, interpreter: Interpreter) throws(LoopError) {
        let grants = packGrants(interpreter)
        guard !grants.isEmpty else { return }
        let project = SkillsContext.projectDirectory(of: interpreter)
        for grant in grants {
            if let denial = denial(of: capability, by: grant, projectDirectory: project) {
                throw LoopError(.host(kind: "permission", message: denial))
            }
        }
    }

    /// The grants of the packs whose code is on the call stack, outermost first; empty when only
    /// trusted code is running.
    static func packGrants(_ interpreter: Interpreter) -> [PackGrant] {
        interpreter.activePrincipals.compactMap { $0.payload as? PackGrant }
    }

    /// Why the grant does not cover the capability, or nil when it does.
    static func denial(of capability: Capability, by grant: PackGrant, projectDirectory: String) -> String? {
        let permissions = grant.permissions
        let what: String
        switch capability {
        case .exec(let program):
            if permissions.allowsExec(program: program) { return nil }
            what = "run '\(program)'"
        case .write(let path):
            if permissions.allowsWrite(path: path, projectDirectory: projectDirectory) { return nil }
            what = "write '\(path)'"
        case .read(let path):
            if permissions.allowsRead(path: path, projectDirectory: projectDirectory, packDirectory: grant.directory) { return nil }
            what = "read '\(path)'"
        case .environment(let name):
            if permissions.allowsEnvironment(name) { return nil }
            what = "read the environment variable \(name)"
        case .store(let primitive):
            if permissions.store { return nil }
            what = "write to the project store (\(primitive))"
        case .promote(let name):
            if permissions.store { return nil }
            what = "promote a model to '\(name)' (the project store)"
        }
        return denialMessage(grant, what)
    }

    /// `permission denied: skill S (pack P) may not WHAT: its manifest does not grant it (it may: ...)`.
    static func denialMessage(_ grant: PackGrant, _ what: String, because reason: String = "its manifest does not grant it") -> String {
        let granted = grant.permissions.descriptions.joined(separator: "; ")
        let has = granted.isEmpty ? "it has no permissions" : "it may: \(granted)"
        return "permission denied: skill \(grant.skill) (pack \(grant.pack)) may not \(what): \(reason) (\(has))"
            + (grant.note.map { "; \($0)" } ?? "")
    }
}
