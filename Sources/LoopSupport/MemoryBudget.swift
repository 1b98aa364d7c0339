import Glibc
import Synchronization

/// The one check every large allocation goes through before it is made: a list of a billion
/// items, a model of ten billion weights or a file read into memory is refused with what it would
/// need against what the machine has, instead of ending the process (Swift traps when an
/// allocation fails, and the kernel's OOM killer gives no message at all).
///
/// Small requests (under 64 MB) are accepted without looking. Larger ones are measured against
/// the memory available now (`MemAvailable` plus free swap, and a cgroup's limit less its usage
/// when a container sets one), read when asked, since a loop that doubles a string fails on the
/// step whose copy no longer fits, not on the one that exceeds the machine's total. A caller that
/// wants a fixed limit (the fuzz targets, under a memory limit of their own) sets `override`.
public enum MemoryBudget {
    /// A refused request, as data for messages.
    public struct Exceeded: Error, Sendable, Equatable {
        /// The bytes the refused allocation would have needed.
        public let needed: Double
        /// What was available (or the override) when it was refused.
        public let available: Double

        public init(needed: Double, available: Double) {
            self.needed = needed
            self.available = available
        }

        /// `needs about 160 GB of memory; this machine has 23 GB available`.
        public var explanation: String {
            let what = MemoryBudget.override == nil ? "this machine has \(ByteCount.format(available)) available"
                : "the memory limit is \(ByteCount.format(available))"
            return "needs about \(ByteCount.format(needed)) of memory; \(what)"
        }
    }

    /// Requests below this are not measured.
    public static let smallBytes = Double(1 << 26)

    private static let overrideBytes = Atomic<Int>(0)

    /// A fixed limit in bytes instead of what is available; nil (the default) measures.
    public static var override: Int? {
        get { let v = overrideBytes.load(ordering: .relaxed); return v > 0 ? v : nil }
        set { overrideBytes.store(max(newValue ?? 0, 0), ordering: .relaxed) }
    }

    /// Nil when `bytes` fits, else what to say. `bytes` is a Double so that products of absurd
    /// sizes (4e9 × 4e9) are measured rather than overflowing.
    public static func check(bytes: Double) -> Exceeded? {
        if let override { return bytes.isFinite && bytes <= Double(override) ? nil : Exceeded(needed: bytes, available: Double(override)) }
        if bytes.isFinite && bytes < smallBytes { return nil }
        let available = availableBytes()
        return bytes.isFinite && bytes <= available ? nil : Exceeded(needed: bytes, available: available)
    }

    /// `count` items of `stride` bytes each.
    public static func check(count: Int, stride: Int) -> Exceeded? {
        check(bytes: Double(count) * Double(stride))
    }

    /// What could be allocated now: the override, else available memory and swap, capped by a
    /// cgroup limit.
    public static func availableBytes() -> Double {
        if let override { return Double(override) }
        var available = Double(sysconf(Int32(_SC_AVPHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        if let meminfo = text(of: "/proc/meminfo") {
            let kb = { (key: String) -> Double? in
                meminfo.split(separator: "\n").first { $0.hasPrefix(key + ":") }
                    .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) }.map { $0 * 1024 }
            }
            if let free = kb("MemAvailable") { available = free + (kb("SwapFree") ?? 0) }
        }
        for (limitFile, usageFile) in [("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                       ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes")] {
            guard let limit = text(of: limitFile).flatMap(number), limit < 1e18 else { continue }
            available = min(available, max(0, limit - (text(of: usageFile).flatMap(number) ?? 0)))
        }
        return available
    }

    private static func number(_ text: String) -> Double? {
        Double(text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first ?? "")
    }

    /// A small system file's text (these report sizes of 0 or 4096, so read until the end).
    private static func text(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Byte counts as people read them.
public enum ByteCount {
    /// `512 bytes`, `1.5 KB`, `160 GB` (decimal units, at most three significant digits).
    public static func format(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "more than any machine has" }
        if bytes < 1000 { return "\(Int(bytes)) bytes" }
        var value = bytes
        for unit in ["KB", "MB", "GB", "TB", "PB"] {
            value /= 1000
            if value < 999.5 {
                let text = value < 9.95 ? String(Double(Int(value * 10 + 0.5)) / 10) : String(Int(value + 0.5))
                return "\(text) \(unit)"
            }
        }
        let exabytes = value / 1000
        return exabytes < 1e6 ? "\(Int(exabytes + 0.5)) EB" : "more than any machine has"
    }
}
