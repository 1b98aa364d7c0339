import LoopLang

/// The host side of Looplab: the language's built-ins plus the primitives that reach the machine
/// (clock, environment, files) and, in later issues, training, research and the store.
///
/// A new primitive group is one file in `Primitives/` with a `register(into:)` function, added to
/// `makeRegistry` below.
public enum LoopLab {
    /// The version `looplab --version` prints.
    public static let version = "0.1.0"

    /// The core built-ins plus every host primitive. `arguments` become the constant `args`.
    /// `storePath` names the project store's database (nil: `.looplab/looplab.db` under the
    /// current directory); it is opened on first use. The skill library searches
    /// `projectDirectory`'s `skills/` and packs, `userLibrary`, then `stdlibDirectory`;
    /// `confirmer` answers the policy's questions.
    public static func makeRegistry(
        arguments: [String], clock: any WallClock = SystemClock(), storePath: String? = nil, worker: WorkerRole? = nil,
        stdlibDirectory: String? = StdlibLocator.locate(), projectDirectory: String = POSIXFiles.currentDirectory(),
        userLibrary: String = defaultUserLibrary(), confirmer: any Confirmer = TerminalConfirmer(assumeYes: false)
    ) -> Registry {
        let registry = Registry.core()
        ClockPrimitives.register(into: registry, clock: clock)
        EnvironmentPrimitives.register(into: registry, arguments: arguments, worker: worker)
        FilePrimitives.register(into: registry)
        ResearchPrimitives.register(into: registry, storePath: storePath, clock: clock, worker: worker)
        TrainingPrimitives.register(into: registry)
        PlotPrimitives.register(into: registry)
        ImportancePrimitives.register(into: registry)
        TablePrimitives.register(into: registry)
        SkillPrimitives.register(into: registry, stdlibDirectory: stdlibDirectory, projectDirectory: projectDirectory,
                                 userLibrary: userLibrary, confirmer: confirmer)
        Capabilities.gateHostPrimitives(in: registry, core: .core())
        return registry
    }

    /// The user's skill library: `$XDG_DATA_HOME/looplab/skills`, else `~/.local/share/looplab/skills`.
    public static func defaultUserLibrary() -> String { SkillsContext.defaultUserLibrary() }

    /// An interpreter with every host primitive registered and the `.loop` standard library found
    /// next to the executable (see `StdlibLocator`). Relative paths resolve against the current
    /// directory, which is also the project directory. `settings` (default: what the environment
    /// says) give the store and whether the policy's questions are answered yes.
    public static func makeInterpreter(
        arguments: [String] = [],
        output: any OutputSink = StandardOutput(),
        stdlibDirectory: String? = StdlibLocator.locate(),
        settings: HostSettings = .fromEnvironment(),
        projectDirectory: String = POSIXFiles.currentDirectory()
    ) -> Interpreter {
        Interpreter(
            registry: makeRegistry(arguments: arguments, storePath: settings.storePath, worker: settings.worker, stdlibDirectory: stdlibDirectory,
                                   projectDirectory: projectDirectory, confirmer: TerminalConfirmer(assumeYes: settings.assumeYes)),
            output: output,
            stdlibDirectory: stdlibDirectory,
            projectDirectory: projectDirectory
        )
    }
}
