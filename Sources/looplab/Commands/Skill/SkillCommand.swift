import ArgumentParser
import Glibc
import LoopLab

/// `looplab skill ...`: make, pack, install, inspect, remove and test skill packs.
struct SkillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skill",
        abstract: "Make, share and install skill packs (see docs/skills.md).",
        discussion: """
            A pack is a directory with a skills.toml manifest. Installed packs live in \
            .looplab/packs/ and are recorded, with their sha256 and the permissions you granted, \
            in skills.lock, which a team commits so everyone gets the same library.

            Examples:
              looplab skill new tricks                   a pack that works, to edit
              looplab skill test tricks                  run its tests
              looplab skill pack tricks                  write tricks-0.1.0.looppack
              looplab skill install tricks-0.1.0.looppack --sha256 HASH
              looplab skill install https://example.org/tricks.git
              looplab skill install                      everything skills.lock names
              looplab skill list | show tricks | remove tricks
            """,
        subcommands: [SkillNewCommand.self, SkillPackCommand.self, SkillInstallCommand.self, SkillListCommand.self,
                      SkillShowCommand.self, SkillRemoveCommand.self, SkillTestCommand.self]
    )
}

/// Runs a tooling step, printing its failure the way every looplab error is printed (exit 1).
func runTooling<T>(_ body: () throws(PackTooling.Failure) -> T) throws -> T {
    do throws(PackTooling.Failure) { return try body() } catch {
        Diagnostics.printError("error: " + error.description)
        throw ExitCode(1)
    }
}

struct SkillNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Create a skill pack directory from a template.")

    @Argument(help: "The pack's name (letters, digits, _ and -).") var name: String
    @Option(help: ArgumentHelp("Where to create it.", valueName: "DIR")) var directory = "."

    func run() throws {
        let created = try runTooling { () throws(PackTooling.Failure) in
            do throws(PackScaffold.Failure) { return try PackScaffold.create(name: name, in: directory) } catch {
                throw PackTooling.Failure(error.description)
            }
        }
        print("created \(created)/ (skills.toml, \(name).loop, tests/\(name)_test.loop)")
        print("next: edit it, then `looplab skill test \(created)` and `looplab skill pack \(created)`")
    }
}

struct SkillPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pack", abstract: "Test a pack and write it as one NAME-VERSION.looppack archive.")

    @Argument(help: "The pack directory.") var directory: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the archive.", valueName: "DIR")) var output = "."

    func run() throws {
        let (path, sha) = try runTooling { () throws(PackTooling.Failure) in try PackTooling().pack(directory: directory, outputDirectory: output) }
        print("wrote \(path)\nsha256 \(sha)")
    }
}

struct SkillInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a pack (directory, .looppack archive or git URL), or everything skills.lock names.",
        discussion: """
            The pack's tests run before it is installed; a failing pack is not installed. The \
            permissions it asks for are shown and must be granted (at the terminal, or with --yes).
            """)

    @Argument(help: "A pack directory, a .looppack archive or a git URL; none: install skills.lock.") var target: String?
    @Option(help: ArgumentHelp("Refuse the pack unless its content has this sha256.", valueName: "HASH")) var sha256: String?
    @Flag(help: "Grant the permissions the pack asks for without asking.") var yes = false

    func run() throws {
        let tooling = PackTooling(confirmer: TerminalConfirmer(assumeYes: HostSettings.fromEnvironment().overridden(storePath: nil, assumeYes: yes).assumeYes))
        if let target {
            try runTooling { () throws(PackTooling.Failure) in try tooling.install(target, sha256: sha256) }
        } else {
            let packs = try runTooling { () throws(PackTooling.Failure) in try tooling.installLocked() }
            print("\(packs.count) pack\(packs.count == 1 ? "" : "s") installed from skills.lock")
        }
    }
}

struct SkillListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the installed packs.")

    func run() throws {
        let packs = try runTooling { () throws(PackTooling.Failure) in try PackTooling().installed() }
        if packs.isEmpty { print("no packs installed (looplab skill install PATH)"); return }
        let rows = packs.map { p in
            [p.manifest.name, "\(p.manifest.version)", p.manifest.skillNames.joined(separator: ", "),
             p.manifest.permissions.descriptions.isEmpty ? "none" : p.manifest.permissions.descriptions.joined(separator: "; ")]
        }
        print(TextTable.render(["pack", "version", "skills", "permissions"], rows))
    }
}

struct SkillShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an installed pack's manifest, permissions and hash.")

    @Argument(help: "The pack's name.") var name: String

    func run() throws {
        print(try runTooling { () throws(PackTooling.Failure) in try PackTooling().show(name) })
    }
}

struct SkillRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Uninstall a pack and drop it from skills.lock.")

    @Argument(help: "The pack's name.") var name: String

    func run() throws {
        try runTooling { () throws(PackTooling.Failure) in try PackTooling().remove(name) }
    }
}

struct SkillTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Run the tests of a pack directory or an installed pack.")

    @Argument(help: "A pack directory or an installed pack's name.") var target: String

    func run() throws {
        let lines = try runTooling { () throws(PackTooling.Failure) in try PackTooling().test(target) }
        for line in lines { print(line) }
        print("\(lines.count) test file\(lines.count == 1 ? "" : "s") passed")
    }
}
