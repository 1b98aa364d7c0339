import Glibc
import LoopLang
import Testing

/// The hooks a host uses for the skill library: resolving `use` by name and version, running a
/// module's code as a principal, observing skill calls, and reading a skill's metadata.
@Suite struct HostHooksTests {
    /// A directory with one file per entry, removed after `body`.
    func withFiles<T>(_ files: [String: String], _ body: (String) -> T) -> T {
        var template = Array("/tmp/looplab-hooks-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        for (name, text) in files {
            let f = fopen(dir + "/" + name, "w")!
            fputs(text, f)
            fclose(f)
        }
        defer {
            for name in files.keys { unlink(dir + "/" + name) }
            rmdir(dir)
        }
        return body(dir)
    }

    /// Runs `main` (as the file main.loop in `dir`) with `configure` applied; gives what it printed,
    /// plus "error: ..." if it failed.
    func run(_ dir: String, _ main: String, register: (Registry) -> Void = { _ in },
             _ configure: (Interpreter) -> Void = { _ in }) -> String {
        Interpreter.onLargeStack {
            let registry = Registry.core()
            register(registry)
            let output = CapturedOutput()
            let interpreter = Interpreter(registry: registry, output: output)
            configure(interpreter)
            do throws(LoopError) {
                try interpreter.run(SourceFile(name: "main.loop", text: main, path: dir + "/main.loop"))
                return output.text
            } catch {
                return output.text + "error: " + error.message
            }
        }
    }

    @Test func resolverAnswersNamesWithRequirementsAndFilesBesideTheScriptComeFirst() {
        withFiles(["lib_v2.loop": "let version = 2\n", "here.loop": "let version = 0\n"]) { dir in
            var asked: [String] = []
            let resolve: (Interpreter) -> Void = { interpreter in
                interpreter.moduleResolver = { (request: UseRequest) throws(LoopError) -> ResolvedModule? in
                    asked.append(request.path)
                    if request.path.hasPrefix("lib") { return ResolvedModule(path: dir + "/lib_v2.loop") }
                    if request.path == "broken" { throw LoopError(.host(kind: "skill", message: "no skill named 'broken'")) }
                    return nil
                }
            }
            #expect(run(dir, "use \"lib@^2\"\nprint(version)", resolve) == "2\n")
            #expect(asked == ["lib@^2"])
            asked = []
            #expect(run(dir, "use \"here\"\nprint(version)", resolve) == "0\n")
            #expect(asked.isEmpty)
            #expect(run(dir, "use \"broken\"", resolve) == "error: no skill named 'broken'")
            #expect(run(dir, "use \"nowhere\"", resolve).hasPrefix("error: cannot find"))
            // Without a resolver, a requirement cannot be met by a plain file.
            #expect(run(dir, "use \"lib_v2@1\"").hasPrefix("error: cannot find"))
        }
    }

    @Test func codeFromAPrincipalsModuleRunsAsItEvenThroughCallbacksAndErrors() {
        let pack = """
        use "helper.loop"
        let at_load = whoami()
        let handed_out = helper_fn
        fn call_back(f) { f() }
        fn fail() { error("boom") }
        fn make() { fn() { whoami() } }
        """
        withFiles(["pack.loop": pack, "helper.loop": "fn helper_fn() { whoami() }\n"]) { dir in
            let principal = Principal(name: "pack")
            let configure: (Interpreter) -> Void = { interpreter in
                interpreter.moduleResolver = { _ in ResolvedModule(path: dir + "/pack.loop", principal: principal) }
            }
            let register: (Registry) -> Void = { registry in
                registry.function("whoami", doc: "the principals on the stack") { call in
                    .string(call.interpreter.activePrincipals.map(\.name).joined(separator: ","))
                }
            }
            let main = """
            use "thepack"
            print("[\\(at_load)]", "[\\(whoami())]")
            print("[\\(call_back(fn() { whoami() }))]")
            try { fail() } catch e { print(e.message) }
            print("[\\(whoami())]")
            let escaped = make()
            print("[\\(escaped())]", "[\\(handed_out())]")
            """
            #expect(run(dir, main, register: register, configure) == "[pack] []\n[pack]\nboom\n[]\n[pack] [pack]\n")
        }
    }

    @Test func skillObserverHearsEachSkillCallAndSkillsDescribeThemselves() {
        let out = Interpreter.onLargeStack {
            let output = CapturedOutput()
            let interpreter = Interpreter(registry: .core(), output: output)
            var calls: [String] = []
            interpreter.skillObserver = { calls.append($0.name + ":" + String($0.source.prefix(12))) }
            let source = """
            skill warm(lr, steps = 10) "Warm up." { lr * steps }
            fn plain() { 1 }
            print(warm(0.5), warm(1, steps: 2), plain())
            """
            do throws(LoopError) { try interpreter.evaluate(SourceFile(name: "<cell>", text: source)) } catch { return "error: \(error.message)" }
            guard case .function(let warm)? = interpreter.lookup("warm"), case .function(let plain)? = interpreter.lookup("plain"),
                  let d = warm.skillDescription else { return "no skill" }
            let params = d.parameters.map { "\($0.name)\($0.hasDefault ? "=" : "")" }.joined(separator: " ")
            return output.text + calls.joined(separator: " ") + "\n\(d.name) \(d.doc ?? "-") \(params) \(plain.skillDescription == nil)"
        }
        #expect(out == "5.0 2 1\nwarm:skill warm(l warm:skill warm(l\nwarm Warm up. lr steps= true")
    }

    @Test func registrySetupsGiveEachInterpreterItsOwnAttachedState() {
        final class Tally { var n = 0 }
        let registry = Registry.core()
        registry.onInterpreterCreated { $0.attach(Tally()) }
        registry.function("tick", doc: "counts calls per interpreter") { call in
            guard let tally = call.interpreter.attachment(Tally.self) else { return .nil }
            tally.n += 1
            return .int(tally.n)
        }
        let out = Interpreter.onLargeStack {
            let output = CapturedOutput()
            let first = Interpreter(registry: registry, output: output)
            let second = Interpreter(registry: registry, output: output)
            do throws(LoopError) {
                try first.run(SourceFile(name: "a.loop", text: "tick()\nprint(tick())"))
                try second.run(SourceFile(name: "b.loop", text: "print(tick())"))
            } catch { return error.message }
            return output.text
        }
        #expect(out == "2\n1\n")
    }

    @Test func aWholeScriptCanRunAsAPrincipal() {
        let registry = Registry.core()
        registry.function("whoami", doc: "the principals on the stack") { call in
            .string(call.interpreter.activePrincipals.map(\.name).joined(separator: ","))
        }
        let out = Interpreter.onLargeStack {
            let output = CapturedOutput()
            let interpreter = Interpreter(registry: registry, output: output)
            do throws(LoopError) {
                try interpreter.run(SourceFile(name: "t.loop", text: "fn f() { whoami() }\nprint(whoami(), f())"), as: Principal(name: "tests"))
                try interpreter.run(SourceFile(name: "u.loop", text: "print(\"[\\(whoami())]\")"))
            } catch { return error.message }
            return output.text
        }
        #expect(out == "tests tests,tests\n[]\n")
    }
}
