import LoopSupport

extension Store {
    /// Why `name` names no study here, for every place that looks a study up by name (the CLI,
    /// `history`/`report` in the language, the dashboard): the close names, else the names there
    /// are (the first few).
    public func missingStudyDescription(_ name: String) -> String {
        let names = ((try? studies()) ?? []).map(\.name)
        var text = "no study named '\(name)' in \(location)"
        let close = NameSuggestions.clause(for: name, in: names)
        if !close.isEmpty { return text + close }
        if names.isEmpty { return text + " (it has no studies yet)" }
        text += "; studies: " + names.prefix(10).joined(separator: ", ")
        return names.count > 10 ? text + ", … (\(names.count) in all; looplab studies lists them)" : text
    }
}
