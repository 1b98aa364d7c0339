import Foundation
import LoopLab
import Testing

@Suite struct StdlibLocatorTests {
    func makeLayout(_ files: [String]) throws -> URL {
        let root = try makeTemporaryDirectory()
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "".write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func environmentVariableWins() {
        let found = StdlibLocator.locate(environment: { $0 == "LOOPLAB_STDLIB" ? "/opt/custom/stdlib" : nil }, executable: "/usr/bin/looplab")
        #expect(found == "/opt/custom/stdlib")
    }

    @Test func findsTheBuildTreesStdlib() throws {
        let root = try makeLayout(["repo/stdlib/prelude.loop", "repo/.build/x86_64-unknown-linux-gnu/release/looplab"])
        defer { try? FileManager.default.removeItem(at: root) }
        let exe = root.appendingPathComponent("repo/.build/x86_64-unknown-linux-gnu/release/looplab").path
        #expect(StdlibLocator.locate(environment: { _ in nil }, executable: exe) == root.appendingPathComponent("repo/stdlib").path)
    }

    @Test func findsAnInstalledStdlib() throws {
        let root = try makeLayout(["prefix/share/looplab/stdlib/prelude.loop", "prefix/bin/looplab"])
        defer { try? FileManager.default.removeItem(at: root) }
        let exe = root.appendingPathComponent("prefix/bin/looplab").path
        #expect(StdlibLocator.locate(environment: { _ in nil }, executable: exe) == root.appendingPathComponent("prefix/share/looplab/stdlib").path)
    }

    @Test func givesNilWhenThereIsNone() throws {
        let root = try makeLayout(["bin/looplab"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(StdlibLocator.locate(environment: { _ in nil }, executable: root.appendingPathComponent("bin/looplab").path) == nil)
    }

    @Test func emptyEnvironmentVariableIsIgnored() throws {
        let root = try makeLayout(["prefix/share/looplab/stdlib/prelude.loop", "prefix/bin/looplab"])
        defer { try? FileManager.default.removeItem(at: root) }
        let exe = root.appendingPathComponent("prefix/bin/looplab").path
        #expect(StdlibLocator.locate(environment: { _ in "" }, executable: exe) == root.appendingPathComponent("prefix/share/looplab/stdlib").path)
    }
}
