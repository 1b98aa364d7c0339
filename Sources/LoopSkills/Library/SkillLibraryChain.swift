import LoopSupport

/// A library directory and its place in the search order.
public struct SkillLibrarySource: Sendable, Hashable {
    public let kind: SkillLibraryKind
    public let directory: String

    public init(kind: SkillLibraryKind, directory: String) {
        self.kind = kind
        self.directory = directory
    }
}

/// The libraries `use "NAME@REQ"` searches, in order: the first library holding a version that
/// satisfies the requirement wins, and inside it the highest such version is taken.
public struct SkillLibraryChain: Sendable {
    public let libraries: [SkillLibrarySource]

    public init(libraries: [SkillLibrarySource]) { self.libraries = libraries }

    /// Every skill of every library, in search order.
    public func entries() throws(SkillError) -> [SkillEntry] {
        var all: [SkillEntry] = []
        for source in libraries { all += try entries(of: source) }
        return all
    }

    private func entries(of source: SkillLibrarySource) throws(SkillError) -> [SkillEntry] {
        source.kind == .packs
            ? try PackLibrary(directory: source.directory).entries()
            : try SkillLibrary(directory: source.directory, kind: source.kind).entries()
    }

    /// The skill `request` names. A pack-qualified request looks only at that installed pack;
    /// an unqualified name that two packs provide is ambiguous.
    public func resolve(_ request: SkillRequest) throws(SkillError) -> ResolvedSkill {
        var available: Set<SemanticVersion> = []
        for source in libraries {
            if request.pack != nil && source.kind != .packs { continue }
            let candidates = try entries(of: source).filter {
                $0.name == request.name && (request.pack == nil || $0.pack == request.pack)
            }
            for entry in candidates { available.formUnion(entry.versions.map(\.version)) }
            let satisfying = candidates.compactMap { entry in entry.best(request.requirement).map { (entry, $0) } }
            if satisfying.count > 1 {
                throw .ambiguousSkill(name: request.name,
                                      candidates: satisfying.map { "\($0.0.pack ?? "")/\(request.name)@\($0.1.version)" })
            }
            if let (entry, file) = satisfying.first {
                return ResolvedSkill(name: entry.name, version: file.version, path: file.path, kind: entry.kind, pack: entry.pack,
                                     libraryDirectory: entry.libraryDirectory)
            }
        }
        let wanted = request.pack.map { "\($0)/\(request.name)" } ?? request.name
        if !available.isEmpty {
            throw .noSatisfyingVersion(name: wanted, requirement: request.requirement.text,
                                       available: available.sorted().map(\.description))
        }
        let names = Set(try entries().map { entry in
            request.pack != nil ? "\(entry.pack ?? "")/\(entry.name)" : entry.name
        })
        throw .skillNotFound(name: wanted, nearest: NameSuggestions.nearest(to: wanted, in: names.sorted()))
    }
}
