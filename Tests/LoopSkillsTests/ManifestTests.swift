import Foundation
import LoopSkills
import Testing

@Suite struct ManifestTests {
    static let valid = """
    name = "tricks"
    version = "1.2.0"
    summary = "Warm-up and averaging tricks for small models"
    license = "MIT"
    language = "^0.1"
    entry = ["warmup.loop", "swa.loop"]
    tests = ["tests/warmup_test.loop"]

    [dependencies]
    base = "^1.0"

    [permissions]
    exec = ["python3", "git"]
    write = ["results/"]
    network = false
    """

    static func parse(_ text: String) throws -> PackManifest {
        try PackManifest.parse(text, file: "skills.toml") { _ in true }
    }

    @Test func readsTheDocumentedManifest() throws {
        let manifest = try Self.parse(Self.valid)
        #expect(manifest.name == "tricks" && manifest.version == SemanticVersion(1, 2, 0))
        #expect(manifest.summary.hasPrefix("Warm-up") && manifest.license == "MIT")
        #expect(manifest.language?.matches(SemanticVersion(0, 1, 5)) == true)
        #expect(manifest.entry == ["warmup.loop", "swa.loop"] && manifest.skillNames == ["warmup", "swa"])
        #expect(manifest.tests == ["tests/warmup_test.loop"])
        #expect(manifest.dependencies.map(\.name) == ["base"])
        #expect(manifest.permissions == Permissions(exec: .programs(["python3", "git"]), write: ["results/"], network: false))
        #expect(manifest.permissions.descriptions == ["run python3, git", "write under results/"])
    }

    static let errors: [(String, String)] = [
        ("name = \"t\"\nentry = [\"a.loop\"]\nversion = \"1.x\"\n",
         "skills.toml:3: version: '1.x' is not a semantic version"),
        ("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\nsumary = \"typo\"\n", "skills.toml:4: sumary: unknown key"),
        ("name = \"t\"\nversion = \"1.0.0\"\n", "skills.toml: entry: is required"),
        ("name = \"t\"\nversion = \"1.0.0\"\nentry = []\n", "skills.toml:3: entry: must not be empty"),
        ("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"../x.loop\"]\n",
         "skills.toml:3: entry: '../x.loop' must be a relative path without '..'"),
        ("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\n[permissions]\nwrite = [\"results/../../\"]\n",
         "skills.toml:5: permissions.write: 'results/../../' must be a relative path without '..'"),
        ("name = \"9t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\n", "skills.toml:1: name: '9t' is not a valid name"),
        ("name = \"t\"\nversion = 1\nentry = [\"a.loop\"]\n", "skills.toml:2: version: expected a string, found an integer"),
        ("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\n[dependencies]\nbase = \"^one\"\n",
         "skills.toml:5: dependencies.base: '^one' is not a version requirement"),
        ("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\n[permissions]\nexec = \"git\"\n",
         "skills.toml:5: permissions.exec: expected true, false or an array of programs, found a string"),
        ("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\n[permissions]\nnetwrk = true\n",
         "skills.toml:5: permissions.netwrk: unknown key"),
    ]

    @Test(arguments: errors)
    func validationErrorsNameFileLineAndKey(_ text: String, _ message: String) {
        let error = caught { try Self.parse(text) } as? SkillError
        #expect(error?.description == message)
        #expect(error?.kind == "manifest")
    }

    @Test func entryFilesMustExist() {
        let error = caught {
            try PackManifest.parse("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"gone.loop\"]\n", file: "p/skills.toml") { _ in false }
        } as? SkillError
        #expect(error?.description == "p/skills.toml:3: entry: 'gone.loop' does not exist in the pack")
    }

    @Test func execPermissions() throws {
        let any = try Self.parse("name = \"t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\n[permissions]\nexec = true\n")
        #expect(any.permissions.allowsExec(program: "rm")
                && any.permissions.descriptions == ["run any program, through the shell, with any environment"])
        let listed = Permissions(exec: .programs(["python3"]))
        #expect(listed.allowsExec(program: "python3") && !listed.allowsExec(program: "/tmp/evil/python3") && !listed.allowsExec(program: "./python3"))
        #expect(!listed.allowsExec(program: "git"))
        #expect(!Permissions.none.allowsExec(program: "python3") && Permissions.none.descriptions.isEmpty)
    }

    @Test func writePermissionsNormalisePaths() {
        let permissions = Permissions(write: ["results/", "./logs"])
        let project = "/home/me/proj"
        #expect(permissions.allowsWrite(path: "results/a.csv", projectDirectory: project))
        #expect(permissions.allowsWrite(path: "results", projectDirectory: project))
        #expect(permissions.allowsWrite(path: "/home/me/proj/logs/x/y.txt", projectDirectory: project))
        #expect(permissions.allowsWrite(path: "./results/./sub/../b.csv", projectDirectory: project))
        #expect(!permissions.allowsWrite(path: "results/../secrets.txt", projectDirectory: project))
        #expect(!permissions.allowsWrite(path: "results-old/a.csv", projectDirectory: project))
        #expect(!permissions.allowsWrite(path: "../proj2/results/a", projectDirectory: project))
        #expect(!permissions.allowsWrite(path: "/etc/passwd", projectDirectory: project))
    }

    @Test func readStoreAndEmptyPrefixes() throws {
        let text = "name = \"t\"\nversion = \"1.0.0\"\nentry = [\"a.loop\"]\n[permissions]\n"
        let m = try Self.parse(text + "read = [\"data/\", \"$HF_HOME\"]\nstore = true\nwrite = [\".\"]\n")
        #expect(m.permissions.readPaths == ["data/"] && m.permissions.environment == ["HF_HOME"] && m.permissions.store)
        #expect(m.permissions.descriptions == [
            "write anywhere in the project (except skills.lock and .looplab)", "read files under data/",
            "read the environment variable HF_HOME",
            "write to the project store (memory, studies and trials, the model registry)",
        ])
        // Off unless declared.
        let none = try Self.parse(text)
        #expect(!none.permissions.store && none.permissions.read.isEmpty && !none.permissions.allowsEnvironment("HOME"))
        // An empty prefix is refused rather than shown as "write under ".
        let empty = caught { try Self.parse(text + "write = [\"\"]\n") } as? SkillError
        #expect(empty?.description.contains("write: an empty prefix is not allowed") == true)
        let badName = caught { try Self.parse(text + "read = [\"$1X\"]\n") } as? SkillError
        #expect(badName?.description.contains("is not an environment variable") == true)
    }

    @Test func writeChecksFollowSymbolicLinks() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = dir.write("proj/results/ok.txt", "")
        try FileManager.default.createSymbolicLink(atPath: dir.url("proj/results/escape"), withDestinationPath: dir.url("outside"))
        try FileManager.default.createDirectory(atPath: dir.url("outside"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.url("proj/results/dangling"), withDestinationPath: dir.url("nowhere/x"))
        let permissions = Permissions(write: ["results/"])
        let project = dir.url("proj")
        #expect(permissions.allowsWrite(path: "results/new.txt", projectDirectory: project))
        #expect(!permissions.allowsWrite(path: "results/escape/x.txt", projectDirectory: project))
        #expect(!permissions.allowsWrite(path: "results/dangling", projectDirectory: project))
        // Looplab's own files are never writable by a pack, whatever it was granted.
        let everything = Permissions(write: ["."])
        #expect(everything.allowsWrite(path: "notes.txt", projectDirectory: project))
        #expect(!everything.allowsWrite(path: "skills.lock", projectDirectory: project))
        #expect(!everything.allowsWrite(path: ".looplab/packs/t/a.loop", projectDirectory: project))
    }
}
