import Foundation
import LoopLab
import LoopLang
import Testing

/// Every stdlib skill's tests (`stdlib/tests/*_test.loop`) run through the interpreter on tiny
/// data; a failing `assert` fails the test with the `.loop` error, rendered with its location.
@Suite struct StdlibSkillsTests {
    static let stdlib = repositoryRoot.appendingPathComponent("stdlib")

    static let testFiles: [String] = {
        let dir = stdlib.appendingPathComponent("tests")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix("_test.loop") }.sorted()
    }()

    static let skills = ["sweep", "lr_range_test", "early_stop", "autoresearch", "sampling_search", "distill", "confirm_best"]

    @Test func everySkillHasItsFiles() {
        for skill in Self.skills {
            let source = Self.stdlib.appendingPathComponent("\(skill).loop").path
            #expect(FileManager.default.fileExists(atPath: source), "stdlib/\(skill).loop is missing")
            #expect(Self.testFiles.contains("\(skill)_test.loop"), "stdlib/tests/\(skill)_test.loop is missing")
            let example = repositoryRoot.appendingPathComponent("examples/\(skill).loop").path
            #expect(FileManager.default.fileExists(atPath: example), "examples/\(skill).loop is missing")
            if let text = try? String(contentsOfFile: source, encoding: .utf8) {
                #expect(text.hasPrefix("#"), "stdlib/\(skill).loop starts with a comment block")
                let version = text.split(separator: "\n").first { $0.hasPrefix("# version: ") }.map { String($0.dropFirst(11)) }
                let parts = version?.split(separator: ".").compactMap { Int($0) } ?? []
                #expect(parts.count == 3, "stdlib/\(skill).loop has a version line (MAJOR.MINOR.PATCH)")
                #expect(text.contains("skill \(skill)("), "stdlib/\(skill).loop declares skill \(skill)")
            }
        }
    }

    @Test(arguments: testFiles)
    func skillTestPasses(_ name: String) throws {
        let path = Self.stdlib.appendingPathComponent("tests/\(name)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Studies and memories go to a scratch store; files the tests write go to its directory.
        let store = try ScratchStore()
        defer { store.remove() }
        do throws(LoopError) {
            let printed = try store.run(text, name: "stdlib/tests/\(name)", file: path)
            let skill = String(name.dropLast("_test.loop".count))
            #expect(printed.contains("\(skill): ok"), "\(name) ended without printing '\(skill): ok':\n\(printed)")
        } catch {
            Issue.record("\(name) failed:\n\(DiagnosticRenderer.render(error))")
        }
    }

    /// `relabel`, the training primitive distill is built on.
    @Test func relabelGivesTheModelsPredictions() throws {
        let printed = try runLoop("""
        let parts = split(dataset("blobs", n: 300, seed: 1), seed: 0)
        let m = mlp(parts, hidden: [16], seed: 0)
        train(m, parts, epochs: 20, lr: 1e-2, progress: false)
        let hard = relabel(parts.train, m)
        let soft = relabel(parts.train, m, soft: true)
        print(hard.size == parts.train.size, hard.task, hard.classes, eval(m, hard).accuracy)
        print(soft.task, eval(m, soft).mse < 1e-9)
        let student = mlp(parts, hidden: [16], seed: 1)
        train(student, soft, epochs: 30, lr: 1e-2, progress: false)
        print(eval(student, parts.val).accuracy > 0.8)
        print(try { relabel(parts.test, m) } catch e { e.kind })
        print(try { relabel(text_data("abc"), m) } catch e { e.message })
        """)
        let lines = printed.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines.first == "true classification 3 1.0")
        #expect(lines.dropFirst().first == "regression true")
        #expect(lines.dropFirst(2).first == "true")
        #expect(lines.dropFirst(3).first == "train")
        #expect(lines.last?.hasPrefix("relabel: <Dataset text") == true)
    }
}
