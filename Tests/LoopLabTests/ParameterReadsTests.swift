import Foundation
import Testing

/// Until every primitive reads its arguments through typed `Param`s (a misspelt name is then a
/// compile error, as in `train`), this keeps the remaining reads by name honest: every
/// `call.int("name")`-style read names a parameter declared in its module, so a typo fails here
/// instead of reading a silent nil.
struct ParameterReadsTests {
    @Test func everyArgumentReadByNameIsDeclaredInItsFile() throws {
        let readPattern = try NSRegularExpression(pattern: #"call\.(?:int|double|string|bool|list|seconds|value|optionalInt|optionalDouble|optionalString|optionalStrings|isGiven|handle|model|dataset)\("([a-z_0-9]+)""#)
        let declarePattern = try NSRegularExpression(pattern: #"(?:NativeParameter|\.optional|Param\.[a-zA-Z]+)\("([a-z_0-9]+)""#)
        var problems: [String] = []
        var reads = 0
        for module in ["LoopLab", "LoopLang"] {
            let root = repositoryRoot.appendingPathComponent("Sources/\(module)")
            let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
            let texts = try files.sorted().map { ($0, try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)) }
            func names(_ pattern: NSRegularExpression, in text: String) -> [String] {
                pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
            }
            // Helpers in one file read the options a primitive declares in another (study's
            // settings), so a name must be declared somewhere in the module.
            let declared = Set(texts.flatMap { names(declarePattern, in: $0.1) })
            for (file, text) in texts {
                for name in names(readPattern, in: text) {
                    reads += 1
                    if !declared.contains(name) { problems.append("\(module)/\(file): reads '\(name)', which no parameter in \(module) declares") }
                }
            }
        }
        // The pattern must still see the reads by name (were it to find none while some remain, this
        // test would pass on nothing); when the last primitive moves to `Param`, delete the test.
        #expect(reads > 0, "the pattern found no read by name: if none is left, this test has done its job")
        #expect(problems.isEmpty, "\n\(problems.joined(separator: "\n"))")
    }
}
