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
        let result: Result<String, LoopError> = Interpreter.onLargeStack {
            let output = CapturedOutput()
            let interpreter = LoopLab.makeInterpreter(
                arguments: [], output: output,
                stdlibDirectory: repositoryRoot.appendingPathComponent("stdlib").path,
                storePath: store.path
            )
            do throws(LoopError) {
                _ = try interpreter.run(SourceFile(name: "examples/\(name)", text: text, path: path))
                return .success(output.text)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let printed):
            #expect(!printed.isEmpty, "\(name) printed nothing")
        case .failure(let error):
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
