import Foundation
import Glibc
import LoopLang
import LoopSkills
import LoopStore

/// The skill library in the language: `save_skill`, `skills`, `skill_info`, `find_skills`,
/// `policy`; and, per interpreter, `use` by name and version, pack permissions and evidence.
enum SkillPrimitives {
    private enum P {
        static let skill = Param.value("skill", doc: "the skill itself, or its name in this session")
        static let version = Param.optionalString("version", doc: "a semantic version like \"2.0.0\" (default: the next one by what changed)").keywordOnly()
        static let name = Param.string("name", doc: "a skill's name, optionally with a requirement: \"sweep@^1\"")
        static let query = Param.string("query", doc: "words to look for in skills' names, docs and sources")
        static let rules = Param.value("rules", doc: "a record like {confirm: [\"exec\", \"promote\"]}")
    }

    /// Register after the research primitives: skills record their evidence in the research store.
    static func register(into registry: Registry, stdlibDirectory: String?,
                         projectDirectory: String, userLibrary: String, confirmer: any Confirmer) {
        registry.onInterpreterCreated { interpreter in
            let context = SkillsContext(projectDirectory: projectDirectory, userLibrary: userLibrary,
                                        stdlibDirectory: stdlibDirectory, research: interpreter.attachment(ResearchContext.self))
            interpreter.attach(context)
            interpreter.attach(Policy(projectDirectory: projectDirectory, confirmer: confirmer))
            interpreter.moduleResolver = { request throws(LoopError) in try context.resolve(request) }
            interpreter.skillObserver = { context.observe($0) }
        }

        registry.function(
            "save_skill", NativeParameters.list(P.skill, P.version),
            doc: """
            Stores a skill in your library ($XDG_DATA_HOME/looplab/skills) with its source, doc, \
            signature, version, sha256, author, date and evidence (the trials it ran in). `skill` is \
            the skill itself or its name. A changed skill gets a new version (major: parameters \
            removed or required; minor: a parameter added with a default; patch: body or doc); \
            unchanged source keeps its version. `version: "2.0.0"` sets it. Returns {name, version, \
            status: "created"|"unchanged", sha256, path}.
            """
        ) { call throws(LoopError) in
            try save(call)
        }
        registry.function("skills", doc: """
            Every skill the libraries hold, in search order (project skills/, your library, \
            installed packs, stdlib): records {name, version, versions, library, pack, doc}.
            """) { call throws(LoopError) in
            let context = try context(call)
            return .list(try context.entries().map { listingRecord($0, doc: context.doc(of: $0)) })
        }
        registry.function("skill_info", NativeParameters.list(P.name), doc: """
            What the library knows about a skill: {name, version, library, pack, path, doc, signature, \
            versions: [{version, sha256, author, date}], evidence: [{study, trial, status, metrics}]}. \
            `name` may carry a requirement: skill_info("sweep@^1").
            """) { call throws(LoopError) in
            try info(call)
        }
        registry.function("find_skills", NativeParameters.list(P.query), doc: """
            Skills whose name, doc or source match the words of `query`, best first: records \
            {name, version, library, doc}.
            """) { call throws(LoopError) in
            let query = try call[P.query]
            let chain = try context(call).chain
            let hits: [SkillSearchHit]
            do throws(SkillError) { hits = try chain.search(query, describe: SkillSource.describe) } catch {
                throw SkillsContext.error(error)
            }
            return .list(hits.map { hit in
                ResearchValues.record([("name", .string(hit.name)), ("version", .string(hit.version.description)),
                                       ("library", .string(hit.kind.rawValue)), ("pack", hit.pack.map { .string($0) } ?? .nil),
                                       ("doc", .string(hit.doc)), ("signature", .string(hit.signature))])
            })
        }
        registry.function("policy", NativeParameters.list(P.rules), doc: """
            Sets the loop's policy: policy {confirm: ["exec", "promote"]} asks at the terminal before \
            those actions (refused without a terminal unless run with --yes). Replaces the rules of \
            .looplab/policy.toml for this run; code from a pack may only add confirmations. Returns nil.
            """) { call throws(LoopError) in
            let given = try call[P.rules]
            guard case .record(let rules) = given else {
                throw call.wrongType(P.rules.name, expected: "a record like {confirm: [\"exec\"]}", got: given)
            }
            var confirm: Set<String> = []
            for (key, value) in rules.fields {
                guard key == "confirm" else { throw skillError("policy: unknown rule '\(key)' (known: confirm)") }
                guard case .list(let items) = value else { throw skillError("policy: confirm must be a list of action names") }
                for item in items {
                    guard case .string(let action) = item, Policy.actions.contains(action) else {
                        throw skillError("policy: cannot confirm \(Printer.repr(item)); actions are \(Policy.actions.joined(separator: ", "))")
                    }
                    confirm.insert(action)
                }
            }
            // The user's rules are the user's: a pack can ask for more confirmations, never fewer.
            if Capabilities.packGrants(call.interpreter).isEmpty {
                call.interpreter.attachment(Policy.self)?.set(confirm: confirm)
            } else {
                try call.interpreter.attachment(Policy.self)?.add(confirm: confirm)
            }
            return .nil
        }
    }

    static func context(_ call: NativeCall) throws(LoopError) -> SkillsContext {
        guard let context = call.interpreter.attachment(SkillsContext.self) else {
            throw skillError("the skill library is not available in this interpreter")
        }
        return context
    }

    private static func save(_ call: NativeCall) throws(LoopError) -> Value {
        let context = try context(call)
        let function: Function
        switch try call[P.skill] {
        case .function(let f): function = f
        case .string(let name):
            guard case .function(let f)? = call.interpreter.lookup(name) else {
                throw skillError("save_skill: no skill named '\(name)' in this session; in a script pass the skill itself: save_skill(\(name))")
            }
            function = f
        case let other: throw call.wrongType(P.skill.name, expected: "a skill or its name", got: other)
        }
        guard let skill = function.skillDescription else {
            throw skillError("save_skill: '\(function.name)' is a fn, not a skill; declare it with `skill \(function.name)(...) \"doc\" { ... }`")
        }
        var explicit: SemanticVersion?
        if let text = try call[P.version] {
            guard let version = SemanticVersion(text) else { throw skillError("save_skill: version '\(text)' is not a semantic version like 1.2.0") }
            explicit = version
        }
        try Capabilities.require(.write(path: context.userLibrary), call)
        let checker = Interpreter(registry: call.interpreter.registry, output: CapturedOutput(), stdlibDirectory: context.stdlibDirectory)
        let text = try SkillSource.bundle(skill, interpreter: call.interpreter, checker: checker)
        let evidence = (try? context.research?.withStore { store throws(StoreError) in
            try store.skillUses(skill: skill.name, sha256: context.hash(skill.source))
        }) ?? []
        let definition = SkillDefinition(name: skill.name, doc: skill.doc ?? "",
                                         parameters: skill.parameters.map { .init(name: $0.name, hasDefault: $0.hasDefault) }, source: text)
        let library = SkillLibrary(directory: context.userLibrary)
        let outcome: SaveOutcome
        do throws(SkillError) {
            outcome = try library.save(definition, author: author(), date: isoDate(SystemClock().now()),
                                       evidence: evidence.map(SkillEvidence.init), explicitVersion: explicit)
        } catch {
            throw SkillsContext.error(error)
        }
        let (status, version) = switch outcome {
        case .created(let v): ("created", v)
        case .unchanged(let v): ("unchanged", v)
        }
        return ResearchValues.record([
            ("name", .string(skill.name)), ("version", .string(version.description)), ("status", .string(status)),
            ("sha256", .string(context.hash(text))), ("path", .string("\(library.directory)/\(skill.name)/\(version).loop")),
        ])
    }

    private static func info(_ call: NativeCall) throws(LoopError) -> Value {
        let context = try context(call)
        let name = try call[P.name]
        let found: ResolvedSkill
        do throws(SkillError) { found = try context.chain.resolve(try SkillRequest(parsing: name)) } catch {
            throw SkillsContext.error(error)
        }
        let entry = try context.entries().first { $0.name == found.name && $0.kind == found.kind && $0.pack == found.pack }
        let text = (try? POSIXFiles.readText(found.path)) ?? ""
        let definition = SkillSource.describe(text).last { $0.name == found.name } ?? SkillSource.describe(text).last
        // Saved skills carry metadata per version (author, date, evidence); other forms do not.
        let libraryDirectory = POSIXFiles.parent(POSIXFiles.parent(found.path))
        let saved = found.kind == .packs ? [] : ((try? SkillLibrary(directory: libraryDirectory, kind: found.kind).metadata(for: found.name)) ?? [])
        let local = (try? context.research?.withStore { store throws(StoreError) in try store.skillUses(skill: found.name) }) ?? []
        var evidence = saved.flatMap(\.evidence)
        for use in local.map(SkillEvidence.init) where !evidence.contains(use) { evidence.append(use) }
        let versions = entry?.versions.map(\.version) ?? [found.version]
        return ResearchValues.record([
            ("name", .string(found.name)), ("version", .string(found.version.description)),
            ("library", .string(found.kind.rawValue)), ("pack", found.pack.map { .string($0) } ?? .nil),
            ("path", .string(found.path)), ("doc", .string(definition?.doc ?? "")),
            ("signature", .string(definition?.signature ?? found.name + "(...)")),
            ("versions", .list(versions.map { v in
                let meta = saved.first { $0.version == v }
                return ResearchValues.record([("version", .string(v.description)), ("sha256", .string(meta?.sha256 ?? "")),
                                              ("author", .string(meta?.author ?? "")), ("date", .string(meta?.date ?? ""))])
            })),
            ("evidence", .list(evidence.map(evidenceRecord))),
        ])
    }

    static func listingRecord(_ entry: SkillEntry, doc: String) -> Value {
        ResearchValues.record([
            ("name", .string(entry.name)), ("version", .string(entry.latest.version.description)),
            ("versions", .list(entry.versions.map { .string($0.version.description) })),
            ("library", .string(entry.kind.rawValue)), ("pack", entry.pack.map { .string($0) } ?? .nil),
            ("doc", .string(doc)),
        ])
    }

    static func evidenceRecord(_ e: SkillEvidence) -> Value {
        ResearchValues.record([("study", .string(e.study)), ("trial", .int(e.trial)), ("status", .string(e.status)),
                               ("metrics", ResearchValues.record(e.metrics))])
    }

    static func author() -> String {
        for name in ["LOOPLAB_AUTHOR", "USER", "LOGNAME"] {
            if let v = getenv(name), v.pointee != 0 { return String(cString: v) }
        }
        return "unknown"
    }

    /// ISO-8601 UTC, seconds precision: `2026-11-27T03:04:05Z` (as `export` writes dates).
    static func isoDate(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }
}

extension SkillEvidence {
    init(_ use: SkillUse) {
        self.init(study: use.study, trial: use.trialNumber, status: use.state.rawValue, metrics: use.metrics)
    }
}

func skillError(_ message: String) -> LoopError { LoopError(.host(kind: "skill", message: message)) }
