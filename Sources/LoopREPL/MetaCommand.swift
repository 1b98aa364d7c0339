import LoopSupport

/// The REPL's `:` commands.
public enum MetaCommand: String, CaseIterable, Sendable {
    case help, load, save, history, time, vars, skills, skill, reset, quit

    /// How the command is typed.
    public var usage: String {
        switch self {
        case .help: return ":help [name]"
        case .load: return ":load FILE"
        case .save: return ":save FILE"
        case .history: return ":history"
        case .time: return ":time EXPR"
        case .vars: return ":vars"
        case .skills: return ":skills [QUERY]"
        case .skill: return ":skill save NAME"
        case .reset: return ":reset"
        case .quit: return ":quit"
        }
    }

    public var summary: String {
        switch self {
        case .help: return "list commands and built-ins, or show the signature and doc of one name"
        case .load: return "run a .loop file in this session (its names stay defined)"
        case .save: return "write this session as a .loop notebook that `looplab run` can run again"
        case .history: return "list this session's cells"
        case .time: return "evaluate an expression and print how long it took"
        case .vars: return "list the names you defined, with types and values"
        case .skills: return "list the skills in your libraries, or those matching QUERY"
        case .skill: return "save a skill you defined to your library (a new version if it changed)"
        case .reset: return "forget every name you defined and start numbering at 1 again"
        case .quit: return "leave the REPL (Ctrl-D does the same)"
        }
    }

    /// Short forms people type out of habit from other REPLs.
    static let aliases: [String: MetaCommand] = ["q": .quit, "exit": .quit, "h": .help, "?": .help]

    /// The command `name` (without the colon) names: exact, an alias, or an unambiguous prefix.
    public static func resolve(_ name: String) -> Resolution {
        if let exact = MetaCommand(rawValue: name) { return .found(exact) }
        if let alias = aliases[name] { return .found(alias) }
        let prefixed = allCases.filter { $0.rawValue.hasPrefix(name) }
        if !name.isEmpty, prefixed.count == 1 { return .found(prefixed[0]) }
        if prefixed.count > 1 { return .ambiguous(prefixed) }
        let close = NameSuggestions.nearest(to: name, in: allCases.map(\.rawValue)).compactMap(MetaCommand.init(rawValue:))
        return .unknown(suggestions: close)
    }

    public enum Resolution: Sendable {
        case found(MetaCommand)
        case ambiguous([MetaCommand])
        case unknown(suggestions: [MetaCommand])
    }
}
