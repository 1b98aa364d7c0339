// swift-tools-version: 6.0
import PackageDescription

// Every build path (scripts/setup, scripts/test, CI, a plain `swift build`) compiles for the host CPU,
// so Swift SIMD types lower to AVX-512/AVX2 instead of scalar fallbacks. LOOPLAB_PORTABLE=1 gives a
// binary that runs on any x86-64/arm64 machine; LOOPLAB_TARGET_CPU=NAME picks a specific CPU.
// See docs/building.md.
let environment = Context.environment
let targetCPU: [String] = {
    if environment["LOOPLAB_PORTABLE"].map({ !$0.isEmpty && $0 != "0" }) ?? false { return [] }
    return ["-target-cpu", environment["LOOPLAB_TARGET_CPU"] ?? "native"]
}()

// The interpreter's hot paths touch class state on every instruction; dynamic exclusivity checks
// there cost more than the work itself. The runtime keeps its own single-threaded discipline.
let interpreterFlags: [SwiftSetting] = [.unsafeFlags(targetCPU + ["-enforce-exclusivity=unchecked"])]
let hostFlags: [SwiftSetting] = [.unsafeFlags(targetCPU)]
// The training kernels are optimised in every configuration, debug included: unoptimised SIMD code
// is ~100x slower, so a plain `swift build`/`swift test` would otherwise run (and test) kernels that
// never ship. Exclusivity checks are off for the same reason as the interpreter's: the kernels
// work through pointers into class-owned buffers. See docs/building.md.
let kernelFlags: [SwiftSetting] = [.unsafeFlags(targetCPU + ["-O", "-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "looplab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "looplab", targets: ["looplab"]),
        .library(name: "LoopLang", targets: ["LoopLang"]),
        .library(name: "LoopTrain", targets: ["LoopTrain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already built for Hummingbird; named so the dashboard can choose what its server logs.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.14.0"),
        // The PostgreSQL store (LoopStorePostgres only); NIOSSL is already built for it.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The MCP server (LoopMCP only): `looplab mcp`.
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CReadline",
            path: "Sources/CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // A dependency-free leaf every module may import: the bounded file reader and the memory
        // budget that every large allocation is checked against (see docs/architecture.md).
        .target(name: "LoopSupport", swiftSettings: hostFlags),
        .target(
            name: "LoopLang",
            dependencies: ["LoopSupport", .product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: interpreterFlags
        ),
        .target(name: "LoopTrain", dependencies: ["LoopSupport"], swiftSettings: kernelFlags),
        // Charts as data, drawn as terminal text or SVG: knows nothing of the language or the store.
        .target(name: "LoopPlot", dependencies: ["LoopSupport"], swiftSettings: hostFlags),
        // Spaces, samplers and the `propose` benchmark: pure computation on LoopSupport alone.
        .target(name: "LoopResearch", dependencies: ["LoopSupport"], swiftSettings: hostFlags),
        // Skill library on disk, pack manifests, archives and the lock file: no language dependency.
        .target(name: "LoopSkills", dependencies: ["LoopSupport", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: hostFlags),
        .target(name: "LoopLab", dependencies: ["LoopSupport", "LoopLang", "LoopTrain", "LoopResearch", "LoopStore", "LoopSkills", "LoopPlot"],
                swiftSettings: hostFlags),
        // The web dashboard: Hummingbird (and SwiftNIO) stay in this target, so the language, the
        // training core and the engine never link them.
        .target(
            name: "LoopDashboard",
            dependencies: ["LoopLab", "LoopStore", "LoopPlot", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: hostFlags
        ),
        // `looplab mcp`: the LoopLab toolbox over the Model Context Protocol. The MCP SDK stays in
        // this target; the tools themselves are LoopLab's (LoopLab/Agents).
        .target(
            name: "LoopMCP",
            dependencies: ["LoopLab", "LoopSupport", .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: hostFlags
        ),
        .target(name: "LoopREPL", dependencies: ["LoopSupport", "LoopLang", "LoopLab", "LoopPlot", "CReadline"], swiftSettings: hostFlags),
        .executableTarget(
            name: "looplab",
            dependencies: [
                "LoopLang", "LoopLab", "LoopREPL", "LoopResearch", "LoopTrain", "LoopStore", "LoopStorePostgres", "LoopSkills", "LoopDashboard", "LoopMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: hostFlags
        ),
        .target(
            name: "LoopStore",
            dependencies: [
                "LoopSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: hostFlags
        ),
        // The store on a PostgreSQL server: postgres-nio (and SwiftNIO) stay in this target; the
        // looplab executable registers it for postgresql:// locations (see docs/store.md).
        .target(
            name: "LoopStorePostgres",
            dependencies: [
                "LoopStore", "LoopSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: hostFlags
        ),
        // What the test targets share: the store backends they run against and a throwaway
        // PostgreSQL cluster (scripts/pg-throwaway). Not linked by any product.
        .target(name: "LoopTestSupport", dependencies: ["LoopSupport"], swiftSettings: hostFlags),
        // A child process for LoopStore's kill -9 and two-writer tests (see docs/store.md).
        .executableTarget(name: "looplab-store-stress", dependencies: ["LoopStore", "LoopStorePostgres"], swiftSettings: hostFlags),
        .testTarget(name: "LoopLangTests", dependencies: ["LoopLang"], exclude: ["Golden"]),
        .testTarget(name: "LoopSupportTests", dependencies: ["LoopSupport"]),
        .testTarget(name: "LoopTrainTests", dependencies: ["LoopTrain", "LoopSupport"]),
        .testTarget(name: "LoopPlotTests", dependencies: ["LoopPlot"]),
        .testTarget(name: "LoopResearchTests", dependencies: ["LoopResearch", "LoopSupport"]),
        .testTarget(name: "LoopSkillsTests", dependencies: ["LoopSkills"]),
        .testTarget(name: "LoopLabTests", dependencies: ["LoopLab", "LoopLang", "LoopStore", "LoopStorePostgres", "LoopSkills", "LoopSupport", "LoopTestSupport"]),
        .testTarget(name: "LoopREPLTests", dependencies: ["LoopREPL", "LoopLab", "LoopLang"]),
        .testTarget(
            name: "LoopStoreTests",
            dependencies: ["LoopStore", "LoopStorePostgres", "LoopSupport", "LoopTestSupport", "looplab-store-stress", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
