import Foundation
import LoopLang
import LoopSkills
import Testing

/// Inputs that once crashed the fuzz target (`Fuzz/crashers/`) must now give a result or a
/// LoopError, never a crash. `scripts/fuzz --replay` runs them under the sanitizers too.
@Suite struct FuzzRegressionTests {
    /// Inputs of the kinds that break parsers (deep nesting, runaway interpolation, unterminated
    /// literals, huge numbers, stray bytes): each must come back as a located syntax error.
    @Test(arguments: [
        String(repeating: "(", count: 10_000),
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        "print(" + String(repeating: "-", count: 50_000) + "1)",
        "let x = " + String(repeating: "not ", count: 50_000) + "true",
        String(repeating: "\"\\(", count: 200),
        "\"\"\"\n" + String(repeating: "\\(", count: 100),
        "let n = 99999999999999999999999999999",
        "fn f(" + String(repeating: "a, ", count: 10) + "a) {}",
        "x = \u{0}\u{7}\u{1b}[2J",
        String(repeating: "{", count: 5_000),
        "if " + String(repeating: "a.", count: 20_000) + "b {}",
    ])
    func adversarialInputsAreSyntaxErrors(_ text: String) {
        let error = Interpreter.onLargeStack { () -> LoopError? in
            _ = Interpreter.isIncomplete(text)
            do throws(LoopError) {
                try Interpreter(registry: .core(), output: CapturedOutput()).check(SourceFile(name: "fuzz.loop", text: text))
                return nil
            } catch {
                _ = DiagnosticRenderer.render(error)
                return error
            }
        }
        #expect(error?.isStatic == true, "expected a static error for \(text.prefix(40))...")
        #expect(error?.span != nil || error?.isIncompleteInput == true, "the error should be located")
    }

    /// The regular files in `Fuzz/crashers/<folder>`, as (name, bytes).
    static func crashers(_ folder: String) throws -> [(String, Data)] {
        let dir = repositoryRoot.appendingPathComponent("Fuzz/crashers/" + folder)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
        return try names.compactMap { name in
            var isDirectory: ObjCBool = false
            let url = dir.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            return (name, try Data(contentsOf: url))
        }
    }

    @Test func crashersNoLongerCrash() throws {
        let crashers = try Self.crashers("")
        #expect(!crashers.isEmpty, "Fuzz/crashers/ should keep the inputs that once crashed check")
        var replayed = 0
        defer { #expect(replayed == crashers.count) }
        for (name, data) in crashers {
            replayed += 1
            let text = String(decoding: data, as: UTF8.self)
            Interpreter.onLargeStack {
                _ = Interpreter.isIncomplete(text)
                let interpreter = Interpreter(registry: .core(), output: CapturedOutput())
                do throws(LoopError) {
                    try interpreter.check(SourceFile(name: name, text: text))
                } catch {
                    _ = DiagnosticRenderer.render(error)
                }
            }
        }
    }

    /// `scripts/fuzz run` crashers: compiled and run as the fuzz target runs them (without its
    /// 256 MB memory limit, which is process-wide and would reach the tests running beside).
    @Test func runCrashersNoLongerCrash() throws {
        let crashers = try Self.crashers("run")
        #expect(!crashers.isEmpty, "Fuzz/crashers/run/ should keep the programs that once crashed")
        for (name, data) in crashers {
            // Each of these once trapped or tried to allocate terabytes: now a catchable error.
            let error = Interpreter.onLargeStack { () -> LoopError? in
                let interpreter = Interpreter(registry: .core(), output: CapturedOutput())
                var caught: LoopError?
                StepBudget.run(steps: 200_000) {
                    do throws(LoopError) { _ = try interpreter.run(SourceFile(name: name, text: String(decoding: data, as: UTF8.self))) } catch {
                        _ = DiagnosticRenderer.render(error)
                        caught = error
                    }
                }
                return caught
            }
            #expect(error != nil, "\(name) ran to the end; it should raise an error")
        }
    }

    /// `scripts/fuzz pack` crashers: the first byte says archive (installed into a scratch
    /// project), manifest or lock, as in Fuzz/FuzzPack.swift.
    @Test func packCrashersNoLongerCrash() throws {
        let crashers = try Self.crashers("pack")
        #expect(!crashers.isEmpty, "Fuzz/crashers/pack/ should keep the inputs that once crashed the installer")
        var refused = 0
        defer { #expect(refused == crashers.count, "every kept pack input is bad and must be refused") }
        for (_, data) in crashers where !data.isEmpty {
            let bytes = [UInt8](data.dropFirst())
            switch data[data.startIndex] % 3 {
            case 0:
                let root = try makeTemporaryDirectory()
                defer { try? FileManager.default.removeItem(at: root) }
                let archive = root.appendingPathComponent("pack.looppack")
                try Data(PackArchive.withChecksumsRecomputed(bytes)).write(to: archive)
                let installer = PackInstaller(packsDirectory: root.path + "/project/.looplab/packs", lockPath: root.path + "/project/skills.lock")
                if (try? installer.install(from: .archive(archive.path), grant: { _ in true }, runTests: { _, _ in })) == nil { refused += 1 }
            case 1: if (try? PackManifest.parse(String(decoding: bytes, as: UTF8.self), file: "skills.toml") { _ in true }) == nil { refused += 1 }
            default: if (try? LockFile.parse(String(decoding: bytes, as: UTF8.self), file: "skills.lock")) == nil { refused += 1 }
            }
        }
    }
}
