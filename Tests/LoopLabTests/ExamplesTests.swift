import Foundation
import LoopLab
import LoopLang
import Testing

/// Every `examples/*.loop` must run to completion: they are the README's promise.
@Suite struct ExamplesTests {
    static let examples: [String] = {
        let dir = repositoryRoot.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".loop") }.sorted()
    }()

    @Test func thereAreExamples() {
        #expect(Self.examples.contains("tour.loop"))
        #expect(Self.examples.contains("hello.loop"))
    }

    @Test(arguments: examples)
    func exampleRuns(_ name: String) throws {
        let path = repositoryRoot.appendingPathComponent("examples/\(name)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Examples that keep studies get a scratch store, so the tests never write `.looplab/`
        // into the working directory.
        let store = try ScratchStore()
        defer { store.remove() }
        do throws(LoopError) {
            let printed = try store.run(text, name: "examples/\(name)", file: path)
            #expect(!printed.isEmpty, "\(name) printed nothing")
        } catch {
            Issue.record("\(name) failed:\n\(DiagnosticRenderer.render(error))")
        }
    }

    @Test(arguments: examples)
    func exampleChecks(_ name: String) throws {
        let path = repositoryRoot.appendingPathComponent("examples/\(name)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let error: LoopError? = Interpreter.onLargeStack {
            let interpreter = LoopLab.makeInterpreter(arguments: [], output: CapturedOutput(), stdlibDirectory: repositoryRoot.appendingPathComponent("stdlib").path)
            do throws(LoopError) {
                try interpreter.check(SourceFile(name: "examples/\(name)", text: text, path: path))
                return nil
            } catch {
                return error
            }
        }
        if let error { Issue.record("\(name) does not check:\n\(DiagnosticRenderer.render(error))") }
    }
}
