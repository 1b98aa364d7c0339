import Glibc
import LoopSkills

/// `looplab skill new NAME`: a pack directory that installs, tests and packs as it is, so a
/// researcher starts from something that works and edits it.
public enum PackScaffold {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates `<parent>/<name>/` with skills.toml, `<name>.loop` and `tests/<name>_test.loop`.
    /// Returns the pack directory. Refuses to touch an existing path.
    public static func create(name: String, in parent: String) throws(Failure) -> String {
        guard SkillRequest.isValidName(name) else {
            throw Failure(description: "skill new: '\(name)' is not a valid pack name (letters, digits, _ and -, not starting with a digit or -)")
        }
        let directory = parent == "." ? name : parent + "/" + name
        guard !POSIXFiles.exists(directory) else { throw Failure(description: "skill new: '\(directory)' already exists") }
        let files = [
            (PackManifest.fileName, manifest(name)),
            ("\(name).loop", skill(name)),
            ("tests/\(name)_test.loop", test(name)),
        ]
        for dir in [directory, directory + "/tests"] where mkdir(dir, 0o755) != 0 {
            throw Failure(description: "skill new: cannot create '\(dir)': \(String(cString: strerror(errno)))")
        }
        for (path, text) in files {
            do throws(POSIXFiles.Failure) { try POSIXFiles.writeText(directory + "/" + path, text) } catch {
                throw Failure(description: "skill new: cannot write '\(directory)/\(path)': \(error.reason)")
            }
        }
        return directory
    }

    /// The skill's name in `.loop` (a pack name may contain `-`; identifiers may not).
    static func identifier(_ name: String) -> String { String(name.map { $0 == "-" ? "_" : $0 }) }

    static func manifest(_ name: String) -> String {
        """
        # A Looplab skill pack: docs/skills.md describes every key.
        name = "\(name)"
        version = "0.1.0"
        summary = "What these skills do, in one line"
        license = "MIT"
        language = "^\(LoopLab.version.split(separator: ".").prefix(2).joined(separator: "."))"
        entry = ["\(name).loop"]
        tests = ["tests/\(name)_test.loop"]

        [dependencies]

        # What the skills may do; everything else is refused at run time.
        [permissions]
        exec = false          # or a list of programs: ["python3"]
        write = []            # path prefixes under the project, e.g. ["results/"]
        network = false

        """
    }

    static func skill(_ name: String) -> String {
        let id = identifier(name)
        return """
        # version: 0.1.0
        skill \(id)(xs, scale = 1) "Returns the mean of `xs` times `scale`. Replace with your skill." {
          mean(xs) * scale
        }

        """
    }

    static func test(_ name: String) -> String {
        let id = identifier(name)
        return """
        # Runs at install and on `looplab skill test`; a failed assert keeps the pack out.
        use "\(name)"
        assert(\(id)([1, 2, 3]) == 2.0, "mean of 1, 2, 3")
        assert(\(id)([1, 2, 3], scale: 2) == 4.0, "scaled")

        """
    }
}
