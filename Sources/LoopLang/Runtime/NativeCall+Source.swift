extension NativeCall {
    /// The caller's own name for the argument of `parameter` when it was a plain variable
    /// (`parts` in `eval(m, parts)`), so a hint can say `parts.val` instead of a placeholder;
    /// nil when the argument was an expression or the call has no source.
    public func argumentName(_ parameter: String) -> String? {
        guard let site = callSite,
              let program = try? Parser.parse(SourceFile(name: site.file.name, text: site.file.text(of: site))),
              program.statements.count == 1, case .expression(let expr) = program.statements[0].kind,
              case .call(_, let arguments) = expr.kind else { return nil }
        let argument: Argument?
        if let named = arguments.first(where: { $0.label == parameter }) {
            argument = named
        } else if let slot = function.positionalParameterIndices.firstIndex(where: { function.parameters[$0].name == parameter }) {
            let positional = arguments.filter { $0.label == nil }
            argument = slot < positional.count ? positional[slot] : nil
        } else {
            argument = nil
        }
        guard case .identifier(let name)? = argument?.value.kind else { return nil }
        return name
    }
}
