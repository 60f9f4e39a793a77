import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a finished child process left behind.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The command line, for messages.
    public let commandLine: [String]
    public let stdout: [UInt8]
    public let stderr: [UInt8]
    /// The exit status, or 128 + signal number if the child was killed by a signal.
    public let exitCode: Int32
    /// How long the child ran, from spawn to exit (not counting any wait for a `ChildSlots` slot).
    public let duration: Duration

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

/// Runs programs with `posix_spawn` without blocking the test runner's threads.
///
/// Swift Testing runs tests on Swift's cooperative pool, one thread per core: a test that blocks a
/// thread in `waitpid` (or `waitUntilExit`, or a sleep) holds back every other test. Here the wait
/// happens on a thread of its own and the test awaits it, so a suite full of subprocesses keeps the
/// pool free. Output goes to temporary files rather than pipes, so a chatty child can never deadlock
/// against a full pipe; they are removed when the child has been reaped.
public enum ProcessRunner {
    /// Runs `executable` (an absolute path) with `arguments` to its end.
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` inherits ours.
    ///   - directory: working directory; `nil` keeps ours.
    ///   - stdin: a file fed to standard input; `nil` means `/dev/null`.
    ///   - slot: how the child counts against `ChildSlots.shared`: one slot; `.timed` for fixtures whose
    ///     output depends on timing (GODEBUG traces, CPU profiles); all of them; or none because the
    ///     caller already holds them (`ChildSlots.withSlots(for:)`).
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String]? = nil,
                           directory: URL? = nil,
                           stdin: URL? = nil,
                           slot: ChildSlots.Use = .one) async throws -> ProcessResult {
        let run: @Sendable () async throws -> ProcessResult = {
            let child = try ChildProcess(executable, arguments, environment: environment, directory: directory, stdin: stdin)
            return await child.result()
        }
        return try await ChildSlots.shared.withSlots(for: slot, run)
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

/// A started child process: its output goes to files, its exit is awaited without blocking a
/// cooperative thread, and it can be signalled while it runs (servers, Ctrl-C tests).
public final class ChildProcess: Sendable {
    public let commandLine: [String]
    public let pid: pid_t
    /// Where standard output and standard error go until the child is reaped.
    public let stdoutPath: String
    public let stderrPath: String
    /// Whether standard output went to a scratch file of ours (removed after `result()`).
    private let ownsStdout: Bool
    private let exit: Task<Int32, Never>

    /// Spawns the child. `stdout` names a file to keep its output in instead of a scratch file
    /// (which is removed after `result()`).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                directory: URL? = nil, stdin: URL? = nil, stdout: URL? = nil) throws {
        let commandLine = [executable] + arguments
        self.commandLine = commandLine
        // posix_spawn has no portable chdir action: a tiny shell changes directory, then execs the program.
        let spawned = directory.map { ["/bin/sh", "-c", #"cd "$0" && exec "$@""#, $0.path] + commandLine } ?? commandLine
        let scratch = TestPaths.scratch
            .appendingPathComponent("leakscope-proc-\(getpid())-\(UUID().uuidString)")
        ownsStdout = stdout == nil
        let stdoutPath = stdout?.path ?? scratch.path + ".out"
        let stderrPath = scratch.path + ".err"
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin?.path ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = spawned.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

        var child = pid_t()
        let rc = posix_spawn(&child, spawned[0], &actions, nil, argv, envp)
        guard rc == 0 else {
            throw ProcessLaunchError(commandLine: commandLine, reason: String(cString: strerror(rc)))
        }
        let pid = child
        self.pid = pid
        let exited = ExitRecord()
        self.exited = exited
        let startedAt = ContinuousClock.now
        exit = Task {
            let code = await Self.reap(pid)
            exited.set(ranFor: ContinuousClock.now - startedAt)
            return code
        }
    }

    /// Whether the child has exited: its reaper has seen the exit.
    public var hasExited: Bool { exited.duration != nil }
    private let exited: ExitRecord

    /// How long the child ran, once its reaper has seen it exit.
    private final class ExitRecord: Sendable {
        private let ranFor = Mutex<Duration?>(nil)
        func set(ranFor duration: Duration) { ranFor.withLock { $0 = duration } }
        var duration: Duration? { ranFor.withLock { $0 } }
    }

    /// Sends `signal` (SIGTERM by default) if the child is still running.
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
    }

    /// The exit status: the exit code, or 128 + signal number.
    public func exitCode() async -> Int32 { await exit.value }

    /// Waits for the child to end and collects its output; scratch files are removed.
    public func result() async -> ProcessResult {
        let code = await exit.value
        let stdout = (try? Data(contentsOf: URL(fileURLWithPath: stdoutPath))) ?? Data()
        let stderr = (try? Data(contentsOf: URL(fileURLWithPath: stderrPath))) ?? Data()
        if ownsStdout { unlink(stdoutPath) }
        unlink(stderrPath)
        return ProcessResult(commandLine: commandLine, stdout: [UInt8](stdout), stderr: [UInt8](stderr), exitCode: code,
                             duration: exited.duration ?? .zero)
    }

    /// Signals the child and waits until it has exited.
    public func stop(_ signal: Int32 = SIGTERM) async {
        self.signal(signal)
        _ = await exit.value
    }

    /// `waitpid` on a thread of its own (never a cooperative one), resumed when the child ends.
    private static func reap(_ pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
            thread.stackSize = 64 << 10
            thread.start()
        }
    }
}

/// Sleeps without holding a thread of the test runner's pool.
public func pause(seconds: Double) async {
    try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
}
