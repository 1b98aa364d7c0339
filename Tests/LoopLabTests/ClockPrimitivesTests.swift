import LoopLab
import LoopLang
import Testing

@Suite struct ClockPrimitivesTests {
    @Test func nowReadsTheInjectedClock() throws {
        #expect(try runLoop("print(now())", clock: FixedClock(seconds: 1_700_000_000.25)) == "1700000000.25\n")
    }

    @Test func nowIsAFloatNearTheSystemClock() throws {
        let before = SystemClock().now()
        let printed = try runLoop("let t = now()\nprint(type(t))\nprint(t)")
        let after = SystemClock().now()
        let lines = printed.split(separator: "\n")
        #expect(lines.first == "Float")
        let value = try #require(Double(String(lines[1])))
        #expect(value >= before - 0.001 && value <= after + 0.001)
    }

    @Test func nowMeasuresElapsedTime() throws {
        #expect(try runLoop("let a = now()\nvar i = 0\nwhile i < 1000 { i += 1 }\nprint(now() - a >= 0.0)") == "true\n")
    }

    @Test func nowHasHelp() {
        let registry = LoopLab.makeRegistry(arguments: [])
        #expect(registry.doc(for: "now")?.isEmpty == false)
    }
}
