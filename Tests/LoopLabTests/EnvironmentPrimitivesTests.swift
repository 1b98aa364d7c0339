import Glibc
import LoopLab
import LoopLang
import Testing

@Suite struct EnvironmentPrimitivesTests {
    @Test func envReadsAVariable() throws {
        setenv("LOOPLAB_TEST_ENV_SET", "hello world", 1)
        #expect(try runLoop(#"print(env("LOOPLAB_TEST_ENV_SET"))"#) == "hello world\n")
    }

    @Test func envGivesNilOrTheDefaultWhenUnset() throws {
        unsetenv("LOOPLAB_TEST_ENV_UNSET")
        #expect(try runLoop(#"print(env("LOOPLAB_TEST_ENV_UNSET"))"#) == "nil\n")
        #expect(try runLoop(#"print(env("LOOPLAB_TEST_ENV_UNSET", default: "fallback"))"#) == "fallback\n")
        #expect(try runLoop(#"print(env("LOOPLAB_TEST_ENV_UNSET", "positional"))"#) == "positional\n")
    }

    @Test func envRejectsANonStringName() throws {
        let error = try #require(throws: LoopError.self) { try runLoop("env(42)") }
        #expect(error.kind == "type")
    }

    @Test func argsAreTheScriptArguments() throws {
        #expect(try runLoop("print(args)", arguments: ["0.1", "--fast", "two words"]) == #"["0.1", "--fast", "two words"]"# + "\n")
        #expect(try runLoop("print(args.count, type(args))") == "0 List\n")
    }

    @Test func argsIsRegisteredWithDoc() {
        let registry = LoopLab.makeRegistry(arguments: ["x"])
        #expect(registry.doc(for: "args")?.isEmpty == false)
        #expect(registry.doc(for: "env")?.isEmpty == false)
    }
}
