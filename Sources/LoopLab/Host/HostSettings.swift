import Glibc

/// What a looplab process is told from outside about the project: the command line's `--store`
/// and `--yes`, else `LOOPLAB_STORE` and `LOOPLAB_YES`. Read once at start-up and handed to the
/// interpreter as a value, so no part of the host looks the environment up on its own and a
/// command-line flag never travels through `setenv`.
public struct HostSettings: Sendable, Equatable {
    /// The project store's database file; nil: `.looplab/looplab.db` under the project directory.
    public var storePath: String?
    /// Answer yes to the policy's confirmations.
    public var assumeYes: Bool
    /// Set when this process is one of several workers `looplab run --workers N` started
    /// (`LOOPLAB_WORKER=i/N`): progress lines are left to the launcher's combined status.
    public var worker: WorkerRole?

    public init(storePath: String? = nil, assumeYes: Bool = false, worker: WorkerRole? = nil) {
        self.storePath = storePath
        self.assumeYes = assumeYes
        self.worker = worker
    }

    /// The settings the environment gives (`environment` is looked up for each variable).
    public static func fromEnvironment(_ environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> HostSettings {
        let store = environment("LOOPLAB_STORE").flatMap { $0.isEmpty ? nil : $0 }
        let yes = environment("LOOPLAB_YES").map { !$0.isEmpty && $0 != "0" } ?? false
        return HostSettings(storePath: store, assumeYes: yes, worker: environment(WorkerRole.variable).flatMap(WorkerRole.init(parsing:)))
    }

    /// These settings with the command line's values, where it gave them, in front.
    public func overridden(storePath: String?, assumeYes: Bool) -> HostSettings {
        HostSettings(storePath: storePath.flatMap { $0.isEmpty ? nil : $0 } ?? self.storePath, assumeYes: assumeYes || self.assumeYes,
                     worker: worker)
    }
}

/// Which of the launcher's workers this process is.
public struct WorkerRole: Sendable, Equatable {
    /// The environment variable the launcher sets: `index/count`, e.g. `2/4`.
    public static let variable = "LOOPLAB_WORKER"
    /// The most workers one launcher starts.
    public static let maxCount = 256
    /// 0 ..< count.
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public var environmentValue: String { "\(index)/\(count)" }
}
