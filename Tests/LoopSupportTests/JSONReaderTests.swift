import LoopSupport
import Testing

/// The one JSON parser: the store's `JSONValue` and the language's `parse_json` both read
/// through it.
struct JSONReaderTests {
    /// Records what the reader hands over, in order, to check what each caller receives.
    struct Echo: JSONBuilder {
        func null() -> String { "null" }
        func bool(_ value: Bool) -> String { "\(value)" }
        func int(_ value: Int) -> String { "int \(value)" }
        func number(_ value: Double) -> String { "num \(value)" }
        func string(_ value: String) -> String { "'\(value)'" }
        func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        func object(_ members: [(String, String)]) -> String { "{" + members.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}" }
    }

    @Test func membersArriveInTheTextsOrderWithIntsApartFromNumbers() throws {
        let text = #"{"b": 1, "a": [true, null, 2.5, -3, 1e-2, 7E+1], "b": "x\n\u00e9\ud83d\ude00"}"#
        #expect(try JSONReader.read(text, with: Echo())
            == "{b: int 1, a: [true, null, num 2.5, int -3, num 0.01, num 70.0], b: 'x\n\u{e9}\u{1F600}'}")
        #expect(try JSONReader.read("99999999999999999999", with: Echo()) == "num 1e+20")
        #expect(JSONValue(json: #"{"k": 1, "k": 2}"#) == .object(["k": .int(2)]))
    }

    @Test func errorsSayWhereAndWhat() {
        func problem(_ text: String) -> String {
            do { _ = try JSONReader.read(text, with: Echo()); return "no error" } catch { return error.description }
        }
        #expect(problem("{\"a\": 1,\n  \"b\" 2}") == "invalid JSON at line 2 column 7: expected ':'")
        #expect(problem("[1, 2") == "invalid JSON at line 1 column 6: unexpected end of input")
        #expect(problem("[1 2]") == "invalid JSON at line 1 column 4: expected ',' or ']'")
        #expect(problem("\"abc") == "invalid JSON at line 1 column 5: unterminated string")
        #expect(problem("\"\\q\"") == "invalid JSON at line 1 column 4: invalid escape")
        #expect(problem("1 2") == "invalid JSON at line 1 column 3: unexpected text after the value")
        #expect(problem("-") == "invalid JSON at line 1 column 2: unexpected character")
        #expect(problem("+1") == "invalid JSON at line 1 column 1: unexpected character")
        #expect(problem("1.2.3") == "invalid JSON at line 1 column 6: invalid number '1.2.3'")
        #expect(problem("tru") == "invalid JSON at line 1 column 1: unexpected character")
        #expect(problem("") == "invalid JSON at line 1 column 1: unexpected end of input")
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONReader.read(deep, with: Echo()) }
        #expect(JSONValue(json: deep) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONValue(json: fine) != nil)
    }
}
