import Glibc
import LoopLang
import LoopSkills

/// Runs a pack's tests the way its code will run once installed: each test file in a fresh
/// interpreter, as the pack (with only the permissions its manifest asks for), with the pack's
/// own skills resolvable by name, against a throwaway store.
enum PackTests {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Throws the first failing test's error (with what it printed); returns one line per test.
    static func run(packDirectory: String, manifest: PackManifest, projectDirectory: String) throws(Failure) -> [String] {
        // `skill test` and `skill pack` have no grant yet: find the programs as an install would.
        var manifest = manifest
        if manifest.permissions.programPaths.isEmpty {
            manifest.permissions = manifest.permissions.resolvingPrograms(
                searchPath: getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin", projectDirectory: projectDirectory)
        }
        let scratch: String
        do throws(POSIXFiles.Failure) { scratch = try POSIXFiles.makeTemporaryDirectory(prefix: "looplab-packtest") } catch {
            throw Failure(description: "cannot make a temporary directory for the tests' store: \(error.reason)")
        }
        defer { POSIXFiles.removeTree(scratch) }
        var lines: [String] = []
        for test in manifest.tests {
            let path = packDirectory + "/" + test
            let text: String
            do throws(POSIXFiles.Failure) { text = try POSIXFiles.readText(path) } catch {
                throw Failure(description: "cannot read test \(test): \(error.reason)")
            }
            let output = CapturedOutput()
            let outcome: String? = Interpreter.onLargeStack {
                let interpreter = LoopLab.makeInterpreter(output: output, settings: HostSettings(storePath: scratch + "/tests.db"), projectDirectory: projectDirectory)
                defer { LoopLab.finish(interpreter) }
                servePack(manifest, from: packDirectory, in: interpreter)
                let principal = Principal(name: "\(manifest.name) tests",
                                          payload: PackGrant(pack: manifest.name, skill: "tests", permissions: manifest.permissions,
                                                             directory: packDirectory))
                do throws(LoopError) {
                    _ = try interpreter.run(SourceFile(name: test, text: text, path: path), as: principal)
                    return nil
                } catch {
                    return DiagnosticRenderer.render(error)
                }
            }
            if let outcome {
                let printed = output.text.isEmpty ? "" : "\n" + output.text
                throw Failure(description: "\(test) failed:\n\(outcome)\(printed)")
            }
            lines.append("ok  \(test)")
        }
        return lines
    }

    /// Makes `use "NAME"` (and `use "PACK/NAME"`) find the pack's own entry files, running as
    /// the pack; everything else resolves as usual.
    static func servePack(_ manifest: PackManifest, from directory: String, in interpreter: Interpreter) {
        let fallback = interpreter.moduleResolver
        let grant = manifest.permissions
        interpreter.moduleResolver = { request throws(LoopError) in
            if let wanted = try? SkillRequest(parsing: request.path), wanted.pack == nil || wanted.pack == manifest.name,
               let index = manifest.skillNames.firstIndex(of: wanted.name), wanted.requirement.matches(manifest.version) {
                let principal = Principal(name: "\(manifest.name)/\(wanted.name)",
                                          payload: PackGrant(pack: manifest.name, skill: wanted.name, permissions: grant, directory: directory))
                return ResolvedModule(path: directory + "/" + manifest.entry[index], principal: principal)
            }
            return try fallback?(request)
        }
    }
}
