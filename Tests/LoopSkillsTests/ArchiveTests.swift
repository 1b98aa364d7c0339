import Foundation
import LoopSkills
import Testing

@Suite struct ArchiveTests {
    static func makePack(_ dir: TemporaryDirectory) -> String {
        dir.write("tricks/skills.toml", "name = \"tricks\"\nversion = \"1.2.0\"\nentry = [\"warmup.loop\"]\ntests = [\"tests/warmup_test.loop\"]\n")
        dir.write("tricks/warmup.loop", "skill warmup() \"w\" { 1 }\n")
        dir.write("tricks/tests/warmup_test.loop", "assert(true)\n")
        dir.write("tricks/.git/HEAD", "ref: refs/heads/main\n")
        dir.write("tricks/.looplab/looplab.db", "x")
        dir.write("tricks/old-0.1.0.looppack", "x")
        return dir.url("tricks")
    }

    /// A ustar header for `name` with the given type flag and size, checksum filled in.
    static func header(_ name: String, type: Character = "0", size: Int = 0) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ at: Int) { for (i, b) in s.utf8.enumerated() { h[at + i] = b } }
        put(name, 0)
        put("0000644", 100)
        put("0000000", 108)
        put("0000000", 116)
        put(String(format: "%011o", size), 124)
        put("00000000000", 136)
        h[156] = type.asciiValue!
        put("ustar", 257)
        put("00", 263)
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum), 148)
        h[154] = 0
        return h
    }

    static func archive(_ members: [(String, Character, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, type, content) in members {
            let data = Array(content.utf8)
            out += header(name, type: type, size: type == "0" ? data.count : 0)
            if type == "0" { out += data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512) }
        }
        return out + [UInt8](repeating: 0, count: 1024)
    }

    @Test func packingIsDeterministicAndSkipsRepositoryState() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let pack = Self.makePack(dir)
        let first = try PackArchive.write(packDirectory: pack, to: dir.url("out1"))
        #expect(first == dir.url("out1/tricks-1.2.0.looppack"))
        // Touch the files (new mtimes) and pack again: same bytes.
        dir.write("tricks/warmup.loop", "skill warmup() \"w\" { 1 }\n")
        let second = try PackArchive.write(packDirectory: pack, to: dir.url("out2"))
        let a = try Data(contentsOf: URL(fileURLWithPath: first)), b = try Data(contentsOf: URL(fileURLWithPath: second))
        #expect(a == b && a.count % 10240 == 0)
        #expect(try PackArchive.sha256(ofFile: first) == PackArchive.sha256(of: [UInt8](a)))
        let entries = try PackArchive.read(archive: first).map(\.path)
        #expect(entries == ["skills.toml", "tests", "tests/warmup_test.loop", "warmup.loop"])
    }

    @Test func tarReadsTheArchive() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try PackArchive.write(packDirectory: Self.makePack(dir), to: dir.path)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-tvf", path]
        let pipe = Pipe()
        tar.standardOutput = pipe
        try tar.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.map { String($0.split(separator: " ").last!) } == ["skills.toml", "tests/", "tests/warmup_test.loop", "warmup.loop"])
        #expect(lines[1].hasPrefix("drwxr-xr-x") && lines[0].hasPrefix("-rw-r--r--"))
    }

    @Test func extractRoundTripsThePack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try PackArchive.write(packDirectory: Self.makePack(dir), to: dir.path)
        try PackArchive.extract(archive: path, into: dir.url("copy"))
        #expect(dir.list("copy") == ["skills.toml", "tests", "warmup.loop"])
        #expect(try String(contentsOfFile: dir.url("copy/warmup.loop"), encoding: .utf8) == "skill warmup() \"w\" { 1 }\n")
    }

    static let malicious: [([(String, Character, String)], ArchiveProblem)] = [
        ([("ok.loop", "0", "fine"), ("../evil", "0", "owned")], .parentComponent("../evil")),
        ([("a/../../evil", "0", "owned")], .parentComponent("a/../../evil")),
        ([("/etc/evil", "0", "owned")], .absolutePath("/etc/evil")),
        ([("link", "2", "")], .unsupportedEntry("link", type: "symbolic link")),
        ([("hard", "1", "")], .unsupportedEntry("hard", type: "hard link")),
        ([("dev", "3", "")], .unsupportedEntry("dev", type: "device")),
        ([("a.loop", "0", "1"), ("a.loop", "0", "2")], .duplicateEntry("a.loop", writtenAs: "a.loop")),
        // One file under two spellings: refused after normalising, whatever the case.
        ([("skills.toml", "0", "1"), ("./skills.toml", "0", "2")], .duplicateEntry("skills.toml", writtenAs: "./skills.toml")),
        ([("a//b.loop", "0", "1"), ("a/./B.loop", "0", "2")], .duplicateEntry("a/B.loop", writtenAs: "a/./B.loop")),
        ([("a\nb", "0", "1")], .unsafeName("a\nb")),
    ]

    @Test(arguments: malicious)
    func extractionRefusesUnsafeMembersBeforeWritingAnything(_ members: [(String, Character, String)], _ problem: ArchiveProblem) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url("bad.looppack")
        try Data(Self.archive(members)).write(to: URL(fileURLWithPath: path))
        let error = caught { try PackArchive.extract(archive: path, into: dir.url("out/inner")) } as? SkillError
        #expect(error == .archive(path: path, problem: problem))
        #expect(!dir.exists("out") && !dir.exists("evil"))
    }

    @Test func truncatedAndCorruptArchivesAreReported() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try PackArchive.write(packDirectory: Self.makePack(dir), to: dir.path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for cut in [100, 700, 1536] {
            let error = caught { try PackArchive.entries(ofArchive: Array(bytes[..<cut]), archive: "t") } as? SkillError
            #expect(error == .archive(path: "t", problem: .truncated), "cut at \(cut)")
        }
        var corrupt = bytes
        corrupt[3] ^= 0x20
        #expect(caught { try PackArchive.entries(ofArchive: corrupt, archive: "c") } as? SkillError
                == .archive(path: "c", problem: .badChecksum(offset: 0)))
        let text = [UInt8]("hello world, not a tar".utf8) + [UInt8](repeating: 1, count: 600)
        #expect(caught { try PackArchive.entries(ofArchive: text, archive: "x") } as? SkillError
                == .archive(path: "x", problem: .notUstar(offset: 0)))
    }
}
