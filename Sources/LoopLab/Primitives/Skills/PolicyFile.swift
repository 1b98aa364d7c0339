import LoopLang
import LoopSkills

/// `.looplab/policy.toml`: the project's standing policy (`confirm = ["exec", "promote"]`).
enum PolicyFile {
    static func path(projectDirectory: String) -> String { projectDirectory + "/.looplab/policy.toml" }

    /// The actions the project's policy file says to confirm; none when there is no file.
    static func confirmActions(projectDirectory: String) throws(LoopError) -> Set<String> {
        let path = path(projectDirectory: projectDirectory)
        guard POSIXFiles.exists(path) else { return [] }
        let text: String
        do throws(POSIXFiles.Failure) { text = try POSIXFiles.readText(path) } catch {
            throw skillError("cannot read \(path): \(error.reason)")
        }
        let table: TOMLTable
        do throws(SkillError) { table = try TOMLParser.parse(text, file: path) } catch { throw SkillsContext.error(error) }
        var actions: Set<String> = []
        for key in table.keys {
            guard key == "confirm", case .array(let items)? = table[key] else {
                throw skillError("\(path):\(table.line(of: key)): unknown policy key '\(key)' (known: confirm = [\"exec\", \"promote\", \"write\"])")
            }
            for item in items {
                guard case .string(let action) = item, Policy.actions.contains(action) else {
                    throw skillError("\(path):\(table.line(of: key)): confirm: unknown action (known: \(Policy.actions.joined(separator: ", ")))")
                }
                actions.insert(action)
            }
        }
        return actions
    }
}
