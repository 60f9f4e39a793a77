// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "leakscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "leakscope", targets: ["leakscope"]),
        .library(name: "LeakscopeProfile", targets: ["LeakscopeProfile"]),
        .library(name: "LeakscopeGoroutines", targets: ["LeakscopeGoroutines"]),
        .library(name: "LeakscopeAnalysis", targets: ["LeakscopeAnalysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    ],
    targets: [
        // System zlib (apt: zlib1g-dev); gzip in and out of profile.proto files.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // profile.proto model, wire codec, gzip, legacy text/binary formats, validation.
        .target(name: "LeakscopeProfile", dependencies: ["CZlib"]),
        // Goroutine dump parser and model.
        .target(name: "LeakscopeGoroutines", dependencies: ["LeakscopeProfile"]),
        // Pure computations: pprof-compatible reports, diffs, flame graphs, detectors.
        .target(name: "LeakscopeAnalysis", dependencies: ["LeakscopeProfile", "LeakscopeGoroutines"]),
        // Fetching profiles over HTTP (net/http/pprof endpoints): timeouts, size caps, clear errors.
        .target(name: "LeakscopeCollect", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Command-line commands (one per file).
        .target(name: "LeakscopeCLI", dependencies: [
            "LeakscopeProfile", "LeakscopeGoroutines", "LeakscopeAnalysis", "LeakscopeCollect",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "leakscope", dependencies: ["LeakscopeCLI"]),

        // Test-only helpers: locating the corpus, building and running Go fixture programs.
        .target(name: "LeakscopeTestSupport", dependencies: ["LeakscopeProfile"], path: "Tests/LeakscopeTestSupport"),
        .testTarget(name: "LeakscopeProfileTests", dependencies: ["LeakscopeProfile", "LeakscopeTestSupport"]),
        .testTarget(name: "LeakscopeGoroutinesTests", dependencies: ["LeakscopeGoroutines", "LeakscopeTestSupport"]),
        .testTarget(name: "LeakscopeAnalysisTests", dependencies: ["LeakscopeAnalysis", "LeakscopeTestSupport"]),
        .testTarget(name: "LeakscopeCLITests", dependencies: ["LeakscopeCLI", "LeakscopeCollect", "LeakscopeTestSupport"]),
    ]
)
