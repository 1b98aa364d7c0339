import Foundation
import LoopLang
import Testing

/// Language behaviour pinned by `.loop` files under `Golden/<feature>/<case>.loop`.
///
/// A case states what it must print with `# expect: TEXT` lines (in order; `# expect:` alone is an
/// empty line) and, when it must fail, `# expect error: MESSAGE` with optional `# error kind: KIND`
/// and `# error at: LINE:COL`. Files and folders whose names start with `_` are helper modules for
/// `use` and are not run on their own.
struct GoldenTests {
    @Test("golden case", arguments: GoldenCase.all)
    func golden(_ testCase: GoldenCase) throws {
        let text = try String(contentsOfFile: testCase.path, encoding: .utf8)
        let expectation = GoldenExpectation(source: text)
        let output = CapturedOutput()
        let interpreter = Interpreter(registry: .core(), output: output, stdlibDirectory: GoldenCase.stdlibDirectory)
        let file = SourceFile(name: (testCase.path as NSString).lastPathComponent, text: text, path: testCase.path)
        let failure: LoopError? = Interpreter.onLargeStack {
            do {
                _ = try interpreter.run(file)
                return nil
            } catch let error as LoopError {
                return error
            } catch {
                return LoopError(.raised("non-LoopError thrown: \(error)"))
            }
        }
        let actualOutput = output.text
        let expectedOutput = expectation.expectedOutput
        #expect(
            actualOutput == expectedOutput,
            """
            \(testCase.relativePath): stdout differs
            --- expected ---
            \(expectedOutput)--- actual ---
            \(actualOutput)--- end ---\(failure.map { "\n(run ended with: \(DiagnosticRenderer.renderShort($0)))" } ?? "")
            """
        )
        if let expectedMessage = expectation.errorMessage {
            guard let failure else {
                Issue.record("\(testCase.relativePath): expected error '\(expectedMessage)', but the run succeeded")
                return
            }
            #expect(
                failure.message == expectedMessage,
                "\(testCase.relativePath): error message\n  expected: \(expectedMessage)\n  actual:   \(failure.message)"
            )
            if let kind = expectation.errorKind {
                #expect(failure.kind == kind, "\(testCase.relativePath): error kind\n  expected: \(kind)\n  actual:   \(failure.kind)")
            }
            if let at = expectation.errorAt {
                let actualAt = failure.span.map { "\($0.line):\($0.column)" } ?? "(no location)"
                #expect(actualAt == at, "\(testCase.relativePath): error location\n  expected: \(at)\n  actual:   \(actualAt)")
            }
        } else if let failure {
            Issue.record(
                "\(testCase.relativePath): unexpected error\n\(DiagnosticRenderer.render(failure))"
            )
        }
    }

    @Test("golden cases are found")
    func casesAreFound() {
        #expect(GoldenCase.all.count >= 100, "only \(GoldenCase.all.count) golden cases found under \(GoldenCase.root)")
    }
}

/// One golden `.loop` file.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    /// Absolute path of the case file.
    let path: String
    /// Path relative to the `Golden` folder, e.g. `strings/escapes.loop`.
    let relativePath: String

    var testDescription: String { relativePath }

    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden").path

    static let stdlibDirectory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("stdlib").path

    static let all: [GoldenCase] = {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var cases: [GoldenCase] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".loop") else { continue }
            // `_name` files and folders are helper modules for `use`.
            if relative.split(separator: "/").contains(where: { $0.hasPrefix("_") }) { continue }
            cases.append(GoldenCase(path: root + "/" + relative, relativePath: relative))
        }
        return cases.sorted { $0.relativePath < $1.relativePath }
    }()
}

/// The expectations written in a golden file's comments.
struct GoldenExpectation {
    var outputLines: [String] = []
    var errorMessage: String?
    var errorKind: String?
    /// `LINE:COL` of the error's span start.
    var errorAt: String?

    init(source: String) {
        // `isNewline` also splits "\r\n", which a Swift String holds as one Character.
        for line in source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if let text = Self.value(after: "# expect error:", in: line) {
                errorMessage = text
            } else if let text = Self.value(after: "# expect:", in: line) {
                outputLines.append(text)
            } else if let text = Self.value(after: "# error kind:", in: line) {
                errorKind = text
            } else if let text = Self.value(after: "# error at:", in: line) {
                errorAt = text
            }
        }
    }

    /// The stdout the case must produce: the expected lines, each ending with a newline.
    var expectedOutput: String {
        outputLines.isEmpty ? "" : outputLines.joined(separator: "\n") + "\n"
    }

    /// The text after `marker` (and one following space) when the line contains it; `marker` may
    /// end a line of code (`print(1)  # expect: 1`) or stand on its own line.
    private static func value(after marker: String, in line: Substring) -> String? {
        guard let range = line.range(of: marker) else { return nil }
        var rest = line[range.upperBound...]
        if rest.first == " " { rest = rest.dropFirst() }
        return String(rest)
    }
}
