import LoopLang
import LoopSkills

/// Reading skills out of `.loop` source, for the library (which does not know the language).
enum SkillSource {
    /// The `skill` declarations at the top level of a file; none when it does not parse.
    static func describe(_ text: String) -> [SkillDefinition] {
        topLevelFunctions(text).filter(\.isSkill).map(definition)
    }

    static func definition(_ decl: FunctionDecl) -> SkillDefinition {
        SkillDefinition(name: decl.name ?? "", doc: decl.doc ?? "",
                        parameters: decl.parameters.map { .init(name: $0.name, hasDefault: $0.defaultValue != nil) },
                        source: decl.source)
    }

    static func topLevelFunctions(_ text: String) -> [FunctionDecl] {
        guard let program = try? Parser.parse(SourceFile(name: "<skill>", text: text)) else { return [] }
        return program.statements.compactMap { stmt in
            if case .function(let decl) = stmt.kind, decl.name != nil { return decl }
            return nil
        }
    }

    /// The text a saved skill is stored as: its declaration, preceded by the declarations of the
    /// `fn`s and skills it calls that are not built-ins (found in the session, or in the file the
    /// skill came from), so the saved file runs on its own. Fails naming what cannot be found.
    static func bundle(_ skill: SkillDescription, interpreter: Interpreter, checker: Interpreter) throws(LoopError) -> String {
        var text = skill.source
        var included: Set<String> = [skill.name]
        let fileDecls = topLevelFunctions(skill.fileText)
        while true {
            do throws(LoopError) {
                try checker.check(SourceFile(name: "\(skill.name).loop", text: text))
                return text
            } catch {
                guard case .undefinedVariable(let name) = error.problem, included.insert(name).inserted else {
                    throw LoopError(.host(kind: "skill", message: "save_skill: '\(skill.name)' does not stand alone: \(error.message)"))
                }
                if case .function(let f)? = interpreter.lookup(name), let source = f.sourceText {
                    text = source + "\n\n" + text
                } else if let decl = fileDecls.first(where: { $0.name == name }) {
                    text = decl.source + "\n\n" + text
                } else {
                    throw LoopError(.host(kind: "skill", message:
                        "save_skill: '\(skill.name)' uses '\(name)', which is neither a built-in nor a fn or skill defined here; define it (or `use` it) and save again"))
                }
            }
        }
    }
}
