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

    public init(storePath: String? = nil, assumeYes: Bool = false) {
        self.storePath = storePath
        self.assumeYes = assumeYes
    }

    /// The settings the environment gives (`environment` is looked up for each variable).
    public static func fromEnvironment(_ environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> HostSettings {
        let store = environment("LOOPLAB_STORE").flatMap { $0.isEmpty ? nil : $0 }
        let yes = environment("LOOPLAB_YES").map { !$0.isEmpty && $0 != "0" } ?? false
        return HostSettings(storePath: store, assumeYes: yes)
    }

    /// These settings with the command line's values, where it gave them, in front.
    public func overridden(storePath: String?, assumeYes: Bool) -> HostSettings {
        HostSettings(storePath: storePath.flatMap { $0.isEmpty ? nil : $0 } ?? self.storePath, assumeYes: assumeYes || self.assumeYes)
    }
}
