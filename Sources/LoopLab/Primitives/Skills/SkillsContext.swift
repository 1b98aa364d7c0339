import Glibc
import LoopLang
import LoopSkills
import LoopStore

/// The skill library as one interpreter sees it: where its libraries are, the principals given
/// to code loaded from packs, and the evidence recorder. Attached to the interpreter.
final class SkillsContext {
    let projectDirectory: String
    let userLibrary: String
    let stdlibDirectory: String?
    /// Where evidence goes; nil when the research primitives are not registered.
    let research: ResearchContext?
    /// One principal per pack skill file, so its functions and its top level run as it.
    private var principals: [String: Principal] = [:]
    /// `skill|sha256|trial` already recorded in the store this process.
    private var recordedUses: Set<String> = []
    private var hashes: [String: String] = [:]
    /// Each pack's grant, checked against the lock and its files once per interpreter.
    private var grants: [String: (Permissions, String?)] = [:]

    init(projectDirectory: String, userLibrary: String, stdlibDirectory: String?, research: ResearchContext?) {
        self.projectDirectory = projectDirectory
        self.userLibrary = userLibrary
        self.stdlibDirectory = stdlibDirectory
        self.research = research
    }

    /// `$XDG_DATA_HOME/looplab/skills`, else `~/.local/share/looplab/skills`.
    static func defaultUserLibrary() -> String {
        if let xdg = getenv("XDG_DATA_HOME"), xdg.pointee != 0 { return String(cString: xdg) + "/looplab/skills" }
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        return home + "/.local/share/looplab/skills"
    }

    static func projectDirectory(of interpreter: Interpreter) -> String {
        interpreter.attachment(SkillsContext.self)?.projectDirectory ?? POSIXFiles.currentDirectory()
    }

    var packsDirectory: String { projectDirectory + "/.looplab/packs" }
    var lockPath: String { projectDirectory + "/skills.lock" }

    /// The libraries in the order `use` searches them (docs/skills.md).
    var chain: SkillLibraryChain {
        var sources = [
            SkillLibrarySource(kind: .project, directory: projectDirectory + "/skills"),
            SkillLibrarySource(kind: .user, directory: userLibrary),
            SkillLibrarySource(kind: .packs, directory: packsDirectory),
        ]
        if let stdlibDirectory { sources.append(SkillLibrarySource(kind: .stdlib, directory: stdlibDirectory)) }
        return SkillLibraryChain(libraries: sources)
    }

    /// Every skill of every library, in search order.
    func entries() throws(LoopError) -> [SkillEntry] {
        do throws(SkillError) { return try chain.entries() } catch { throw Self.error(error) }
    }

    /// The doc string of an entry's latest version ("" when it has none or does not parse).
    func doc(of entry: SkillEntry) -> String {
        guard let text = try? POSIXFiles.readText(entry.latest.path) else { return "" }
        let skills = SkillSource.describe(text)
        return (skills.last { $0.name == entry.name } ?? skills.last)?.doc ?? ""
    }

    // MARK: use

    /// Resolves `use "name@req"` through the libraries; nil for requests that are file paths.
    func resolve(_ request: UseRequest) throws(LoopError) -> ResolvedModule? {
        if request.path.hasSuffix(".loop") { return nil }
        let parsed: SkillRequest
        do throws(SkillError) { parsed = try SkillRequest(parsing: request.path) } catch {
            // `dir/file` and other paths that are not skill names stay file paths.
            if request.path.contains("@") { throw Self.error(error) }
            return nil
        }
        let found: ResolvedSkill
        do throws(SkillError) { found = try chain.resolve(parsed) } catch {
            if parsed.pack != nil, !request.path.contains("@"), case .skillNotFound = error { return nil }
            throw Self.error(error)
        }
        guard let pack = found.pack else { return ResolvedModule(path: found.path) }
        return ResolvedModule(path: found.path, principal: try principal(for: found, pack: pack))
    }

    /// Code from a pack runs as the pack, with what the lock file says the user granted.
    private func principal(for skill: ResolvedSkill, pack: String) throws(LoopError) -> Principal {
        if let known = principals[skill.path] { return known }
        let (granted, note) = try grant(for: pack)
        let principal = Principal(name: "\(pack)/\(skill.name)",
                                  payload: PackGrant(pack: pack, skill: skill.name, permissions: granted,
                                                     directory: packsDirectory + "/" + pack, note: note))
        principals[skill.path] = principal
        return principal
    }

    /// What the lock granted `pack`, bound to its identity: the entry of that name, and only
    /// while the installed files still have the hash the installer recorded. Anything else runs
    /// with no permissions at all; `note` says why, for denials.
    private func grant(for pack: String) throws(LoopError) -> (Permissions, String?) {
        if let known = grants[pack] { return known }
        let lock: LockFile
        do throws(SkillError) { lock = try LockFile.read(path: lockPath) } catch { throw Self.error(error) }
        let result: (Permissions, String?)
        if let entry = lock.entry(named: pack) {
            let files = try? PackLibrary.filesSHA256(of: packsDirectory + "/" + pack)
            if let recorded = entry.filesSHA256, recorded == files {
                result = (entry.permissions, nil)
            } else {
                let why = entry.filesSHA256 == nil ? "skills.lock records no hash of its files"
                    : "its files changed since it was installed"
                result = (.none, "\(why), so it runs with none; reinstall it (looplab skill install)")
            }
        } else {
            // A pack copied into .looplab/packs by hand (not installed) gets no permissions at all.
            result = (.none, "it is not in skills.lock, so it runs with none")
        }
        grants[pack] = result
        return result
    }

    // MARK: evidence

    /// Records that a skill ran inside the trial that is running now, once per trial.
    func observe(_ call: SkillCall) {
        guard let research, let trial = research.runningTrialID else { return }
        let sha = hash(call.source)
        let key = "\(call.name)|\(sha)|\(trial)"
        guard recordedUses.insert(key).inserted else { return }
        // Evidence is best effort: a failed write must not fail the experiment that is running.
        _ = try? research.withStore { store throws(StoreError) in
            try store.recordSkillUse(skill: call.name, sha256: sha, trialID: trial)
        }
    }

    func hash(_ source: String) -> String {
        if let known = hashes[source] { return known }
        let digest = PackArchive.sha256(of: Array(source.utf8))
        hashes[source] = digest
        return digest
    }

    static func error(_ error: SkillError) -> LoopError {
        LoopError(.host(kind: "skill", message: error.description))
    }
}

extension ResearchContext {
    /// The trial a study loop handed out last and that is still running, if any.
    var runningTrialID: Int64? {
        openStudies.values.compactMap { box in
            box.current.flatMap { id in box.study.trial(id)?.status == .running ? id : nil }
        }.max()
    }
}
