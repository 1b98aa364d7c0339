import LoopLang

/// The research engine in the language: spaces, proposals, studies and trials, memory and
/// export, and `exec` (whose output is kept as an artifact), all sharing one lazily opened
/// project store.
enum ResearchPrimitives {
    static func register(into registry: Registry, storePath: String?, clock: any WallClock, worker: WorkerRole?) {
        let context = ResearchContext(storePath: storePath, clock: clock, worker: worker)
        SpacePrimitives.register(into: registry)
        ProposePrimitives.register(into: registry)
        AgentStrategy.register(into: registry)
        StudyPrimitives.register(into: registry, context: context)
        TrialPrimitives.register(into: registry)
        MemoryPrimitives.register(into: registry, context: context)
        ExportPrimitives.register(into: registry, context: context)
        RegistryPrimitives.register(into: registry, context: context)
        ExecPrimitives.register(into: registry, context: context)
        ReportPrimitives.register(into: registry, context: context)
        // So the host can close the store when a program ends (`LoopLab.finish`).
        registry.onInterpreterCreated { $0.attach(context) }
    }
}
