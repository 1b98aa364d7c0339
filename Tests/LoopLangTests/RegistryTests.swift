import LoopLang
import Testing

/// The registration API as a host module uses it: natives with named parameters and defaults,
/// keyword labels, keyword-only parameters on variadic natives, and host handle types.
@Suite struct RegistryTests {
    final class Counter { var n = 0 }

    func run(_ source: String, _ register: (Registry) -> Void) -> String {
        Interpreter.onLargeStack {
            let registry = Registry.core()
            register(registry)
            let output = CapturedOutput()
            let interpreter = Interpreter(registry: registry, output: output)
            do throws(LoopError) {
                try interpreter.run(SourceFile(name: "t.loop", text: source))
                return output.text
            } catch {
                return output.text + "error: " + error.message
            }
        }
    }

    @Test func keywordsCanBeArgumentLabels() {
        let out = run("print(width(in: 3, out: 4))") { r in
            let inputs = Param.int("in", doc: "inputs"), outputs = Param.int("out", default: 1, doc: "outputs")
            r.function("width", NativeParameters.list(inputs, outputs), doc: "in * out") { call throws(LoopError) in
                .int(try call[inputs] * call[outputs])
            }
        }
        #expect(out == "12\n")
    }

    @Test func keywordOnlyParametersLeavePositionalsToRest() {
        let register: (Registry) -> Void = { r in
            let seed = Param.int("seed", default: 0, doc: "the seed").keywordOnly()
            r.function("seq", NativeParameters.list(seed), variadic: true, doc: "layers") { call throws(LoopError) in
                .string("\(call.rest.count) layers, seed \(try call[seed])")
            }
        }
        #expect(run("print(seq(1, 2, 3, seed: 7))", register) == "3 layers, seed 7\n")
        #expect(run("print(seq(1, 2))", register) == "2 layers, seed 0\n")
        #expect(run("print(help_text())") { r in
            register(r)
            r.function("help_text", doc: "") { call in
                guard case .function(let f)? = call.interpreter.lookup("seq") else { return .nil }
                return .string(f.signatureText)
            }
        } == "seq(..., seed: 0)\n")
    }

    @Test func hostHandlesHavePropertiesMethodsAndSummaries() {
        let type = HostType(name: "Counter", doc: "counts", summary: { "<Counter \(($0 as! Counter).n)>" })
        type.addMember("n", .property(doc: "the count") { object in .int((object as! Counter).n) })
        let by = Param.int("by", default: 1, doc: "how much")
        type.addMember("bump", .method(NativeFunction("bump", NativeParameters.list(by), doc: "adds") { call throws(LoopError) in
            guard case .handle(let h) = call.receiver, let c = h.object as? Counter else { return .nil }
            c.n += try call[by]
            return .int(c.n)
        }))
        let out = run("let c = counter()\nc.bump()\nc.bump(by: 4)\nprint(c, c.n, type(c))\nprint(c.missing)") { r in
            r.register(type)
            r.function("counter", doc: "a new counter") { _ in .handle(Handle(type, Counter())) }
        }
        #expect(out == "<Counter 5> 5 Counter\nerror: Counter has no member 'missing'")
    }

    @Test func nativeArgumentErrorsNameTheFunctionAndParameter() {
        let register: (Registry) -> Void = { r in
            let a = Param.value("a", doc: "anything")
            r.function("f", NativeParameters.list(a), doc: "") { call throws(LoopError) in try call[a] }
        }
        #expect(run("f(b: 1)", register) == "error: f() has no parameter named 'b'")
        #expect(run("f()", register) == "error: f() missing argument for parameter 'a'")
        #expect(run("f(1, 2)", register) == "error: f() takes at most 1 positional argument but 2 were given")
        #expect(run("f(1, a: 2)", register) == "error: f() got more than one value for parameter 'a'")
    }
}
