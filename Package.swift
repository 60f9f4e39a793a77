// swift-tools-version:6.0
// Linux first (Debian 12): the parsers use Glibc directly. No other platform is claimed or tested.
// docs/ARCHITECTURE.md explains the layers; a module imports only modules listed above it.
import PackageDescription

let package = Package(
    name: "leakscope",
    products: [
        .executable(name: "leakscope", targets: ["leakscope"]),
        .library(name: "LeakscopeProfile", targets: ["LeakscopeProfile"]),
        .library(name: "LeakscopeGoroutines", targets: ["LeakscopeGoroutines"]),
        .library(name: "LeakscopePprof", targets: ["LeakscopePprof", "LeakscopePprofDriver"]),
        .library(name: "LeakscopeDiagnose", targets: ["LeakscopeDiagnose"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.20.0"),
    ],
    targets: [
        // ── base ─────────────────────────────────────────────────────────────────────────────
        // System zlib (apt: zlib1g-dev); gzip in and out of profile.proto files.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Byte scanning shared by every parser: line cursors, decimal/hex fields, capped file reads.
        .target(name: "LeakscopeBytes"),
        // The one way to print a number: counts, bytes, durations, percentages, rates; pprof's exact mode.
        .target(name: "LeakscopeFormat"),
        // What a Go symbol is: package paths, standard library vs application, wait reasons,
        // sync primitives, CPU categories.
        .target(name: "LeakscopeGoSymbols"),
        // Trend tests, regression lines, percentiles.
        .target(name: "LeakscopeStatistics"),
        // The findings model every analysis speaks: Finding, Severity, Evidence, SourceSite.
        .target(name: "LeakscopeFindings"),

        // ── formats (pure parsers) ───────────────────────────────────────────────────────────
        // profile.proto model, wire codec, gzip, legacy text/binary formats, merge, validation.
        .target(name: "LeakscopeProfile", dependencies: ["CZlib", "LeakscopeBytes"]),
        // Goroutine dumps (debug=1, debug=2, crash output) and their model.
        .target(name: "LeakscopeGoroutines", dependencies: ["LeakscopeProfile", "LeakscopeBytes"]),
        // GODEBUG logs: gctrace, scavtrace, schedtrace, scheddetail.
        .target(name: "LeakscopeGodebug", dependencies: ["LeakscopeBytes"]),
        // Capture sets (manifest.json model and reader) and what-is-this-file detection.
        .target(name: "LeakscopeCapture", dependencies: ["LeakscopeProfile", "LeakscopeGodebug", "LeakscopeBytes"]),
        // Go execution traces (Go 1.22–1.27 generational format): streaming reader, goroutine states.
        .target(name: "LeakscopeTrace"),
        // Gate inputs: Go benchmark output, load-test results (wrk, hey, vegeta, k6, CSV), contracts and
        // threshold files (YAML).
        .target(name: "LeakscopeGateFormats", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Go source: scanner, parser (full grammar with generics), build constraints, package loading.
        .target(name: "LeakscopeGoSource"),

        // ── engines (pure analyses) ──────────────────────────────────────────────────────────
        // pprof's graph, filters and reports, byte for byte.
        .target(name: "LeakscopePprof", dependencies: ["LeakscopeProfile", "LeakscopeBytes", "LeakscopeFormat"]),
        // Flame graph models: call trees, collapsed stacks, speedscope, the flame page's data.
        .target(name: "LeakscopeFlame", dependencies: ["CZlib", "LeakscopeProfile", "LeakscopePprof", "LeakscopeBytes"]),
        // Goroutine leak analysis over one dump or a series.
        .target(name: "LeakscopeGoroutineAnalysis", dependencies: [
            "LeakscopeGoroutines", "LeakscopeGoSymbols", "LeakscopeFindings", "LeakscopeFormat",
        ]),
        // Verdicts and findings from GODEBUG logs.
        .target(name: "LeakscopeGodebugAnalysis", dependencies: [
            "LeakscopeGodebug", "LeakscopeFindings", "LeakscopeFormat", "LeakscopeStatistics",
        ]),
        // Heap growth, CPU hot paths and contention from profiles.
        .target(name: "LeakscopeProfileAnalysis", dependencies: [
            "LeakscopeProfile", "LeakscopeGoroutines", "LeakscopeGoSymbols", "LeakscopeFindings", "LeakscopeFormat",
            "LeakscopeStatistics", "LeakscopeBytes",
        ]),
        // Goroutine lifecycles from execution traces: per creation site, leaks, spawn storms, churn.
        .target(name: "LeakscopeLifecycle", dependencies: [
            "LeakscopeTrace", "LeakscopeGoroutineAnalysis", "LeakscopeGoSymbols", "LeakscopeFindings", "LeakscopeFormat",
        ]),
        // CI gates: benchmark comparison with verdicts, heap growth, load contracts, goroutine leaks after tests.
        .target(name: "LeakscopeGate", dependencies: [
            "LeakscopeGateFormats", "LeakscopeStatistics", "LeakscopeFormat", "LeakscopeFindings", "LeakscopeProfile",
            "LeakscopeGoroutines",
        ]),
        // `lint`: static leak checks (LS001…) over Go syntax trees, with suppressions.
        .target(name: "LeakscopeLint", dependencies: ["LeakscopeGoSource", "LeakscopeFindings", "LeakscopeGoSymbols", "LeakscopeFormat"]),
        // `diagnose`: every analysis over a set of inputs, ranked into one report.
        .target(name: "LeakscopeDiagnose", dependencies: [
            "LeakscopeCapture", "LeakscopeGoroutineAnalysis", "LeakscopeGodebugAnalysis", "LeakscopeProfileAnalysis",
            "LeakscopeFlame", "LeakscopeFindings", "LeakscopeFormat", "LeakscopeGoSymbols", "LeakscopeProfile",
            "LeakscopeGoroutines", "LeakscopeGodebug", "LeakscopeBytes", "LeakscopeLifecycle", "LeakscopeTrace",
        ]),
        // `watch`'s rules: thresholds, growth per minute, baselines, for/cooldown/resolve over sample series.
        .target(name: "LeakscopeWatchRules", dependencies: ["LeakscopeStatistics", "LeakscopeFormat"]),

        // ── presentation ─────────────────────────────────────────────────────────────────────
        // Text, JSON and HTML renderers, terminal charts. The HTML pages' CSS and JS live in Assets/
        // and are compiled in by scripts/embed-assets.py (HTML/Assets.generated.swift), not
        // shipped as resources, so the binary works when copied alone.
        .target(name: "LeakscopePresentation", dependencies: [
            "LeakscopeDiagnose", "LeakscopeGoroutineAnalysis", "LeakscopeGodebugAnalysis", "LeakscopeFlame",
            "LeakscopePprof", "LeakscopeFindings", "LeakscopeFormat", "LeakscopeProfile", "LeakscopeGodebug",
            "LeakscopeGoroutines", "LeakscopeLifecycle",
        ], exclude: ["Assets"]),
        // Gate reports: benchstat-like text, Markdown for pull-request comments, JSON.
        .target(name: "LeakscopeGateViews", dependencies: [
            "LeakscopeGate", "LeakscopeGateFormats", "LeakscopeStatistics", "LeakscopeFormat", "LeakscopeFindings",
        ]),
        // Lint findings as go-vet-style text, JSON and SARIF 2.1.0; the lint section of .leakscope.yaml.
        .target(name: "LeakscopeLintReport", dependencies: [
            "LeakscopeLint", "LeakscopeFindings", "LeakscopeFormat", .product(name: "Yams", package: "Yams"),
        ]),
        // Runs any `pprof` command in-process: Go-style flags, sources behind a fetching protocol.
        .target(name: "LeakscopePprofDriver", dependencies: [
            "LeakscopePprof", "LeakscopeFlame", "LeakscopePresentation", "LeakscopeProfile", "LeakscopeBytes",
        ]),

        // ── I/O ──────────────────────────────────────────────────────────────────────────────
        // Fetching net/http/pprof endpoints and writing capture sets: timeouts, caps, one-line errors.
        .target(name: "LeakscopeCollect", dependencies: [
            "LeakscopeCapture", "LeakscopePprofDriver", "LeakscopeBytes", "LeakscopeFormat", "LeakscopeGoroutines",
            "LeakscopeProfile", "LeakscopeTrace",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The web UI: `pprof -http` and `serve` over Hummingbird; pprof's URL layout, one file per view.
        .target(name: "LeakscopeWeb", dependencies: [
            "LeakscopePprofDriver", "LeakscopePprof", "LeakscopePresentation", "LeakscopeFlame", "LeakscopeDiagnose",
            "LeakscopeCapture", "LeakscopeProfile", "LeakscopeFormat", "LeakscopeBytes",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // `watch`: config, polling, rules, auto-capture and diagnosis, SQLite and PostgreSQL stores, alerts, HTTP API and pages.
        .target(name: "LeakscopeWatch", dependencies: [
            "LeakscopeWatchRules", "LeakscopeCollect", "LeakscopeDiagnose", "LeakscopeCapture", "LeakscopeFindings",
            "LeakscopeFormat", "LeakscopeBytes", "LeakscopePresentation", "LeakscopeWeb",
            .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),

        // ── apps ─────────────────────────────────────────────────────────────────────────────
        // Command-line parsing and wiring (one command per file).
        .target(name: "LeakscopeCLI", dependencies: [
            "LeakscopeDiagnose", "LeakscopePresentation", "LeakscopePprofDriver", "LeakscopeCollect",
            "LeakscopeCapture", "LeakscopeGodebug", "LeakscopeGodebugAnalysis", "LeakscopeGoroutines",
            "LeakscopeGoroutineAnalysis", "LeakscopeFindings", "LeakscopeBytes", "LeakscopeProfile", "LeakscopeFormat",
            "LeakscopeWeb",
            "LeakscopeTrace", "LeakscopeLifecycle",
            "LeakscopeGate", "LeakscopeGateFormats", "LeakscopeGateViews", "LeakscopeFlame", "LeakscopePprof",
            "LeakscopeGoSource", "LeakscopeLint", "LeakscopeLintReport",
            "LeakscopeWatch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "leakscope", dependencies: ["LeakscopeCLI"]),

        // ── tests ────────────────────────────────────────────────────────────────────────────
        // Test-only helpers: fixture paths, one cached Go-fixture runner, non-blocking processes.
        .target(name: "LeakscopeTestSupport", dependencies: ["LeakscopeProfile"], path: "Tests/LeakscopeTestSupport"),
        .testTarget(name: "LeakscopeProfileTests", dependencies: ["LeakscopeProfile", "LeakscopeTestSupport"]),
        .testTarget(name: "LeakscopeGoroutinesTests", dependencies: ["LeakscopeGoroutines", "LeakscopeTestSupport"]),
        .testTarget(name: "LeakscopeAnalysisTests", dependencies: [
            "LeakscopePprof", "LeakscopeFlame", "LeakscopeDiagnose", "LeakscopePresentation", "LeakscopeGoroutineAnalysis",
            "LeakscopeGodebug", "LeakscopeGodebugAnalysis", "LeakscopeProfileAnalysis", "LeakscopeCapture",
            "LeakscopeFormat", "LeakscopeFindings", "LeakscopeGoSymbols", "LeakscopeStatistics", "LeakscopePprofDriver",
            "CZlib", "LeakscopeProfile", "LeakscopeGoroutines", "LeakscopeTestSupport",
        ]),
        // Hostile files, flags and servers; terminal escaping; input limits.
        .testTarget(name: "LeakscopeHardeningTests", dependencies: [
            "LeakscopeBytes", "LeakscopeProfile", "LeakscopeCapture", "LeakscopeGoSource", "LeakscopeTestSupport",
        ]),
        .testTarget(name: "LeakscopeTraceTests", dependencies: [
            "LeakscopeTrace", "LeakscopeLifecycle", "LeakscopeFindings", "LeakscopeTestSupport",
        ]),
        .testTarget(name: "LeakscopeGateTests", dependencies: [
            "LeakscopeGate", "LeakscopeGateFormats", "LeakscopeGateViews", "LeakscopeStatistics", "LeakscopeFormat",
            "LeakscopeProfile", "LeakscopeGoroutines", "LeakscopeTestSupport",
        ]),
        .testTarget(name: "LeakscopeLintTests", dependencies: [
            "LeakscopeGoSource", "LeakscopeLint", "LeakscopeLintReport", "LeakscopeFindings", "LeakscopeTestSupport",
        ]),
        .testTarget(name: "LeakscopeCLITests", dependencies: [
            "LeakscopeCLI", "LeakscopeCollect", "LeakscopeCapture", "LeakscopePprof", "LeakscopePprofDriver", "LeakscopeProfile",
            "LeakscopeGoroutines", "LeakscopeBytes", "LeakscopeTestSupport", "LeakscopeFormat",
        ]),
        .testTarget(name: "LeakscopeWebTests", dependencies: [
            "LeakscopeWeb", "LeakscopePprofDriver", "LeakscopeProfile", "LeakscopeTestSupport",
        ]),
        .testTarget(name: "LeakscopeWatchTests", dependencies: [
            "LeakscopeWatch", "LeakscopeWatchRules", "LeakscopeCollect", "LeakscopeTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
    ]
)
