// libFuzzer target: the pack installer. The first byte picks what the rest is: a `.looppack`
// archive installed into a scratch project (tar reading, path normalisation, the manifest inside,
// unpacking, the lock; header checksums are recomputed first, so that mutated headers get past
// them), a `skills.toml`, or a `skills.lock`. A SkillError is a fine answer; a crash, a trap, a
// hang or a file written outside the scratch directory is a bug. Built and run by
// `scripts/fuzz pack`.
import Glibc
import LoopSkills
import LoopSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func looplabFuzzPack(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    MemoryBudget.override = 256 << 20
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 3 {
    case 0: install(PackArchive.withChecksumsRecomputed(bytes))
    case 1: _ = try? PackManifest.parse(String(decoding: bytes, as: UTF8.self), file: "skills.toml") { _ in true }
    default: _ = try? LockFile.parse(String(decoding: bytes, as: UTF8.self), file: "skills.lock")
    }
    return 0
}

/// Installs the bytes as an archive into a fresh scratch project, then removes it.
private func install(_ archive: [UInt8]) {
    var template = Array("/tmp/looplab-fuzzpack-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { return }
    let root = String(cString: made)
    defer { FileTree.remove(root) }
    let path = root + "/pack.looppack"
    guard let file = fopen(path, "wb") else { return }
    _ = archive.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    let installer = PackInstaller(packsDirectory: root + "/project/.looplab/packs", lockPath: root + "/project/skills.lock",
                                  searchPath: "/usr/bin:/bin", projectDirectory: root + "/project")
    _ = try? installer.install(from: .archive(path), grant: { _ in true }, runTests: { _, _ in })
    _ = try? installer.installedPacks()
}

