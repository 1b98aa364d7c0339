import LoopLang

/// The one check every host primitive goes through. `LoopLab.makeRegistry` wraps each native it
/// registers (beyond the language core) with the gate this table names, so a primitive cannot be
/// added without saying what it reaches: one missing from the table is refused to pack code
/// outright. Trusted code (scripts, the REPL, your library, stdlib) pays one empty-array test.
extension Capabilities {
    /// What a primitive reaches outside the loop, read from its arguments.
    enum Gate {
        /// Pure computation, or reading the project store.
        case none
        /// Reads the file named by this parameter.
        case read(parameter: String)
        /// Writes the file named by this parameter (also confirmed by a `write` policy).
        case write(parameter: String)
        /// Reads the environment variable named by this parameter.
        case environment(parameter: String)
        /// Writes the project store.
        case store
        /// Checks inside, where it knows more: `exec` (the program), `save_skill` (the library
        /// path), `policy` (packs may only add confirmations).
        case itself

        /// The parameter whose argument names what the primitive reaches.
        var parameter: String? {
            switch self {
            case .read(let p), .write(let p), .environment(let p): p
            case .none, .store, .itself: nil
            }
        }
    }

    static let gates: [String: Gate] = {
        var table: [String: Gate] = [
            "read_file": .read(parameter: "path"), "load_csv": .read(parameter: "path"),
            "load_text": .read(parameter: "path"), "load_model": .read(parameter: "path"),
            "write_file": .write(parameter: "path"), "save": .write(parameter: "path"), "export": .write(parameter: "path"),
            "plot": .write(parameter: "to"),
            "env": .environment(parameter: "name"),
            "remember": .store, "fail": .store, "prune": .store, "study": .store,
            "final_eval": .store, "promote": .store, "rollback": .store, "attach": .store,
            "exec": .itself, "agent": .itself, "save_skill": .itself, "policy": .itself,
            // report(t, step, value) writes the store, report(st, "f.html") a file: it knows which.
            "report": .itself,
        ]
        let pure = ["now", "uniform", "loguniform", "integers", "choice", "space", "propose", "maximize", "minimize",
                    "recall", "history", "champion", "versions", "dataset", "text_data", "split", "relabel", "mlp", "seq",
                    "linear", "relu", "gelu", "tanh_layer", "sigmoid_layer", "dropout", "layer_norm", "gpt", "params",
                    "train", "eval", "generate", "skills", "skill_info", "find_skills",
                    "importance", "table", "format_table", "head", "describe", "value_counts", "predict", "confusion"]
        for name in pure { table[name] = Gate.none }
        return table
    }()

    /// Wraps every native of `registry` that `core` does not have with its gate.
    static func gateHostPrimitives(in registry: Registry, core: Registry) {
        for (name, value) in registry.globals where core.globals[name] == nil {
            guard case .function(let function) = value, let native = function as? NativeFunction else { continue }
            let gate = gates[name]
            if let parameter = gate?.parameter {
                // Checked here, once, so a renamed parameter cannot turn its gate into a silent no-op.
                precondition(native.parameters.contains { $0.name == parameter }, "the gate of \(name) reads '\(parameter)', which \(name) does not declare")
            }
            if case .none? = gate { continue }
            if case .itself? = gate { continue }
            registry.register(native.guarded { call throws(LoopError) in
                guard !packGrants(call.interpreter).isEmpty || gate.map(needsPolicy) == true else { return }
                try check(gate, name, call)
            })
        }
    }

    /// Whether the user's policy may want to confirm this gate even for trusted code.
    private static func needsPolicy(_ gate: Gate) -> Bool {
        if case .write = gate { return true }
        return false
    }

    private static func check(_ gate: Gate?, _ name: String, _ call: NativeCall) throws(LoopError) {
        // A wrong-typed argument is left for the primitive itself to report.
        func text(_ parameter: String) -> String? { if case .string(let s) = call.value(parameter) { s } else { nil } }
        switch gate {
        case .read(let parameter)?: if let path = text(parameter) { try require(.read(path: path), call) }
        case .write(let parameter)?: if let path = text(parameter) { try require(.write(path: path), call) }
        case .environment(let parameter)?: if let variable = text(parameter) { try require(.environment(name: variable), call) }
        case .store?: try require(.store(primitive: name), call)
        case .none?, .itself?: return
        case nil:
            for grant in packGrants(call.interpreter) {
                throw LoopError(.host(kind: "permission", message:
                    denialMessage(grant, "call \(name)", because: "Looplab does not know what it reaches, so no pack may")))
            }
        }
    }
}
