/// `.looppack` archives: plain POSIX ustar, deterministic (sorted entries, mtime 0, uid/gid 0,
/// files 0644, directories 0755), holding only regular files and directories.
public enum PackArchive {
    /// One archive member; directory paths carry no trailing slash.
    public struct Entry: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case directory
            case file([UInt8])
        }

        public let path: String
        public let kind: Kind

        public init(path: String, kind: Kind) {
            self.path = path
            self.kind = kind
        }
    }

    public static let fileExtension = "looppack"

    /// Packs `packDirectory` (which must hold a valid manifest) into
    /// `<outputDirectory>/NAME-VERSION.looppack`; returns the archive's path.
    public static func write(packDirectory: String, to outputDirectory: String) throws(SkillError) -> String {
        let manifest = try PackManifest.load(directory: packDirectory)
        let path = Files.join(outputDirectory, "\(manifest.name)-\(manifest.version).\(fileExtension)")
        try Files.makeDirectories(outputDirectory)
        try Files.writeAtomically(path, try bytes(of: try entries(ofDirectory: packDirectory), archive: path))
        return path
    }

    /// The members an archive of `directory` holds, sorted: regular files and directories only,
    /// skipping `.git`, `.looplab` and `*.looppack` (so packing into the pack itself is harmless).
    public static func entries(ofDirectory directory: String) throws(SkillError) -> [Entry] {
        var entries: [Entry] = []
        func walk(_ relative: String) throws(SkillError) {
            let absolute = relative.isEmpty ? directory : Files.join(directory, relative)
            for name in try Files.list(absolute) {
                if name == ".git" || name == ".looplab" || name.hasSuffix(".\(fileExtension)") { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                switch Files.kind(Files.join(directory, path)) {
                case .directory?:
                    entries.append(Entry(path: path, kind: .directory))
                    try walk(path)
                case .file?:
                    entries.append(Entry(path: path, kind: .file(try Files.readBytes(Files.join(directory, path)))))
                default:
                    continue
                }
            }
        }
        try walk("")
        return entries
    }

    /// The archive bytes for `entries`, in the order given; `archive` names it in errors.
    public static func bytes(of entries: [Entry], archive: String = "archive") throws(SkillError) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
            var header = [UInt8](repeating: 0, count: Tar.blockSize)
            let (prefix, name) = try Tar.split(entry.kind == .directory ? entry.path + "/" : entry.path, archive: archive)
            Tar.put(name, into: &header, at: 0, width: 100)
            switch entry.kind {
            case .directory:
                Tar.putOctal(0o755, into: &header, at: 100, width: 8)
                Tar.putOctal(0, into: &header, at: 124, width: 12)
                header[156] = UInt8(ascii: "5")
            case .file(let data):
                Tar.putOctal(0o644, into: &header, at: 100, width: 8)
                Tar.putOctal(data.count, into: &header, at: 124, width: 12)
                header[156] = UInt8(ascii: "0")
            }
            Tar.putOctal(0, into: &header, at: 108, width: 8)
            Tar.putOctal(0, into: &header, at: 116, width: 8)
            Tar.putOctal(0, into: &header, at: 136, width: 12)
            Tar.put("ustar", into: &header, at: 257, width: 6)
            Tar.put("00", into: &header, at: 263, width: 2)
            Tar.put(prefix, into: &header, at: 345, width: 155)
            Tar.putOctal(Tar.checksum(header), into: &header, at: 148, width: 7)
            header[155] = 0x20
            out += header
            if case .file(let data) = entry.kind {
                out += data
                out += [UInt8](repeating: 0, count: (Tar.blockSize - data.count % Tar.blockSize) % Tar.blockSize)
            }
        }
        out += [UInt8](repeating: 0, count: 2 * Tar.blockSize)
        // Pad to tar's 20-block record, as tar itself writes.
        out += [UInt8](repeating: 0, count: (Tar.recordSize - out.count % Tar.recordSize) % Tar.recordSize)
        return out
    }

    /// Reads and checks every member before anything is written: absolute paths, `..`
    /// components, links and devices are refused; a short or damaged archive is reported.
    public static func read(archive path: String) throws(SkillError) -> [Entry] {
        try entries(ofArchive: try Files.readBytes(path), archive: path)
    }

    public static func entries(ofArchive bytes: [UInt8], archive: String) throws(SkillError) -> [Entry] {
        var entries: [Entry] = []
        // Lower-cased, so `Skills.toml` and `skills.toml` cannot both land on a case-insensitive disk.
        var seen: Set<String> = []
        var offset = 0
        while true {
            guard offset <= bytes.count - Tar.blockSize else { throw .archive(path: archive, problem: .truncated) }
            let header = Array(bytes[offset..<offset + Tar.blockSize])
            if header.allSatisfy({ $0 == 0 }) { return entries }
            guard Array(header[257..<262]) == Array("ustar".utf8) else {
                throw .archive(path: archive, problem: .notUstar(offset: offset))
            }
            guard let stored = Tar.octal(header, at: 148, width: 8), stored == Tar.checksum(header) else {
                throw .archive(path: archive, problem: .badChecksum(offset: offset))
            }
            let start = offset + Tar.blockSize
            guard let size = Tar.octal(header, at: 124, width: 12) else { throw .archive(path: archive, problem: .badSize(offset: offset)) }
            guard size <= bytes.count - start else { throw .archive(path: archive, problem: .truncated) }
            let prefix = Tar.string(header, at: 345, width: 155)
            let written = (prefix.isEmpty ? "" : prefix + "/") + Tar.string(header, at: 0, width: 100)
            let path = try Tar.normalized(written, archive: archive)
            offset = start + (size + Tar.blockSize - 1) / Tar.blockSize * Tar.blockSize
            let kind: Entry.Kind
            switch header[156] {
            case UInt8(ascii: "0"), 0:
                kind = .file(Array(bytes[start..<start + size]))
            case UInt8(ascii: "5"):
                kind = .directory
            case let type:
                throw .archive(path: archive, problem: .unsupportedEntry(path, type: Tar.typeName(type)))
            }
            if path.isEmpty {
                guard kind == .directory else { throw .archive(path: archive, problem: .unsafeName(written)) }
                continue  // `./`: the root the pack is unpacked into
            }
            guard seen.insert(path.lowercased()).inserted else {
                throw .archive(path: archive, problem: .duplicateEntry(path, writtenAs: written))
            }
            entries.append(Entry(path: path, kind: kind))
        }
    }

    /// Unpacks `archive` into `directory` (created if needed), after checking every member.
    public static func extract(archive: String, into directory: String) throws(SkillError) {
        try materialize(try read(archive: archive), into: directory)
    }

    /// Writes checked entries under `directory`.
    public static func materialize(_ entries: [Entry], into directory: String) throws(SkillError) {
        try Files.makeDirectories(directory)
        for entry in entries {
            let target = Files.join(directory, entry.path)
            switch entry.kind {
            case .directory:
                try Files.makeDirectories(target)
            case .file(let data):
                if let slash = target.lastIndex(of: "/") { try Files.makeDirectories(String(target[..<slash])) }
                try Files.writeBytes(target, data)
            }
        }
    }

    /// `bytes` with the checksum of every block that carries a ustar header recomputed: for tools
    /// that change header fields on purpose (the pack fuzz target and its regression test), so the
    /// changes reach the reader's checks instead of all stopping at the checksum.
    public static func withChecksumsRecomputed(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        var offset = 0
        while offset <= out.count - Tar.blockSize {
            var header = Array(out[offset..<offset + Tar.blockSize])
            if Array(header[257..<262]) == Array("ustar".utf8) {
                Tar.putOctal(Tar.checksum(header), into: &header, at: 148, width: 7)
                header[155] = 0x20
                out.replaceSubrange(offset..<offset + Tar.blockSize, with: header)
            }
            offset += Tar.blockSize
        }
        return out
    }

    /// Lower-case hex sha256 of a file's bytes.
    public static func sha256(ofFile path: String) throws(SkillError) -> String {
        Hashing.sha256(try Files.readBytes(path))
    }

    /// Lower-case hex sha256 of bytes (an archive built in memory).
    public static func sha256(of bytes: [UInt8]) -> String { Hashing.sha256(bytes) }
}
