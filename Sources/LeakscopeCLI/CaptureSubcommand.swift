import ArgumentParser
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeCapture
import LeakscopeFormat
import LeakscopeCollect
import LeakscopeBytes

/// `leakscope capture URL --snapshots N --interval 30s --out DIR`: snapshots of a live Go service's
/// profiles into a capture directory with a manifest (docs/CAPTURE.md).
struct CaptureSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture snapshots of a live Go service's profiles into a directory.",
        discussion: """
        URL is the service's net/http/pprof address: http://host:port (profiles under /debug/pprof/), or a \
        URL with the path they are served under. Each snapshot takes the index page's counts, goroutine?debug=2 \
        (debug=1 above --goroutine-ceiling), goroutine, goroutineleak?debug=1 (Go 1.26+), heap?gc=1, mutex and \
        block; once per capture cmdline, allocs, threadcreate and a CPU profile, taken during the first wait, and \
        with --trace-seconds an execution trace running alongside the snapshots. \
        DIR/manifest.json lists every file and every failure. Ctrl-C stops and keeps what was fetched.
        """)

    @Argument(help: "The service's pprof URL, such as http://127.0.0.1:6060.")
    var url: String

    @Option(name: .customLong("out"), help: ArgumentHelp("The capture directory to write.", valueName: "dir"))
    var directory: String

    @OptionGroup var options: CaptureOptions

    @Flag(help: "Write into DIR even when it is not empty.")
    var force = false

    @Flag(help: "No progress and no summary; errors only.")
    var quiet = false

    func run() async throws {
        options.redirects.apply()
        let directoryURL = URL(fileURLWithPath: directory)
        if let problem = Self.directoryProblem(directoryURL, force: force) {
            fail("\(directory): \(problem)")
        }
        let capturer: Capturer
        do {
            capturer = Capturer(target: try options.target(url: url), plan: try options.plan(directory: directoryURL))
        } catch {
            fail(error.description)
        }
        let result = await capturer.runStoppingOnInterrupt(
            display: ProgressDisplay(enabled: !quiet, terminal: isatty(STDERR_FILENO) == 1))
        switch result {
        case .failure(let error):
            if Capturer.isInterruption(error) {
                printError("leakscope: \(url): interrupted before anything was fetched")
                throw ExitCode(130)
            }
            fail("\(error)")
        case .success(let manifest):
            if !quiet { try FileBytes.writeToStandardOutput(Array(CaptureSummary.render(manifest, directory: directory).utf8)) }
            if manifest.status == .interrupted {
                let fetched = manifest.allEntries.filter { $0.status == .fetched }.count
                printError("leakscope: \(manifest.target): interrupted; \(directory)/\(CaptureManifest.fileName) lists the \(fetched) files fetched before")
                throw ExitCode(130)
            }
        }
    }

    /// Why `directory` cannot be written into, or nil.
    static func directoryProblem(_ directory: URL, force: Bool) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return "exists and is not a directory" }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        if !contents.isEmpty && !force { return "exists and is not empty (--force writes into it anyway)" }
        return nil
    }

    /// One line on standard error and exit status 2 (an input or usage error, like every command).
    private func fail(_ message: String) -> Never {
        printError("leakscope: \(message)")
        Foundation.exit(2)
    }
}

extension Capturer {
    /// Runs the capture showing its progress; Ctrl-C cancels it, and the manifest then lists what
    /// was fetched before (status `interrupted`).
    func runStoppingOnInterrupt(display: ProgressDisplay) async -> Result<CaptureManifest, any Error> {
        let capturer = self
        let task = Task { () async throws(CaptureError) -> CaptureManifest in
            try await capturer.run { display.show($0) }
        }
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { task.cancel() }
        interrupt.resume()
        let result = await task.result
        interrupt.cancel()
        signal(SIGINT, SIG_DFL)
        display.clear()
        return result
    }

    /// Whether a capture failed only because Ctrl-C cancelled it before its first file.
    static func isInterruption(_ error: any Error) -> Bool {
        error is CancellationError || (error as? CaptureError)?.isCancellation == true
    }
}

/// Shows capture progress on standard error: one line rewritten in place on a terminal, one line per
/// finished step otherwise.
final class ProgressDisplay: Sendable {
    private let enabled: Bool
    private let terminal: Bool
    private let shown = Mutex(false)

    init(enabled: Bool, terminal: Bool) {
        self.enabled = enabled
        self.terminal = terminal
    }

    func show(_ step: CaptureProgress) {
        guard enabled else { return }
        let place = step.snapshot.map { "snapshot \($0 + 1)/\(step.snapshots)" } ?? "once"
        let text: String
        switch step.event {
        case .started:
            guard terminal else { return }
            text = "\(place): \(step.label)…"
        case .fetched(let bytes): text = "\(place): \(step.label) \(CaptureSummary.size(bytes))"
        case .failed(let message): text = "\(place): \(step.label) failed: \(message)"
        case .unavailable(let note): text = "\(place): \(step.label) \(note)"
        case .skipped(let note): text = "\(place): \(step.label) skipped: \(note)"
        case .waiting(let seconds): text = "waiting \(CaptureSummary.seconds(seconds)) for \(place)"
        }
        let safe = TerminalText.escapeControls(text)
        shown.withLock { shown in
            if terminal {
                let width = Self.terminalWidth()
                let line = safe.count > width - 1 ? String(safe.prefix(width - 2)) + "…" : safe
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
                shown = true
            } else {
                FileHandle.standardError.write(Data("\(safe)\n".utf8))
            }
        }
    }

    /// Erases the progress line before the summary.
    func clear() {
        shown.withLock { shown in
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            shown = false
        }
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
        return 80
    }
}

/// The text printed when a capture ends: what was fetched, what was unavailable or skipped, what failed.
enum CaptureSummary {
    static func render(_ manifest: CaptureManifest, directory: String) -> String {
        let entries = manifest.allEntries
        let fetched = entries.filter { $0.status == .fetched }
        let total = fetched.reduce(0) { $0 &+ ($1.bytes ?? 0) }
        let elapsed = (manifest.finished ?? Date()).timeIntervalSince(manifest.started)
        var out = "captured \(manifest.target) into \(directory) in \(seconds(elapsed)): "
            + "\(manifest.snapshots.count) snapshot\(manifest.snapshots.count == 1 ? "" : "s"), "
            + "\(fetched.count) files, \(size(total))\n"
        for snapshot in manifest.snapshots {
            let files = snapshot.entries.filter { $0.status == .fetched }.count
            let goroutines = snapshot.goroutineCount.map { "\($0) goroutines" } ?? "goroutines unknown"
            out += "  snapshot \(snapshot.index + 1)  \(CaptureManifest.timestamp(snapshot.time))  \(goroutines)  \(files) files\n"
        }
        let once = manifest.once.filter { $0.status == .fetched }.sorted { $0.started < $1.started }.map { label($0) }
        if !once.isEmpty { out += "  once: \(once.joined(separator: ", "))\n" }
        out += "  go version: \(manifest.goVersion ?? "unknown (no goroutineleak profile, so probably before Go 1.26)")\n"
        var notes: [String: Int] = [:]
        var order: [String] = []
        for entry in entries where entry.status == .unavailable || entry.status == .skipped {
            let line = "\(label(entry)): \(entry.note ?? entry.status.rawValue)"
            if notes[line] == nil { order.append(line) }
            notes[line, default: 0] += 1
        }
        for line in order {
            let count = notes[line] ?? 1
            out += "  \(line)\(count > 1 ? " (×\(count))" : "")\n"
        }
        if !manifest.failures.isEmpty {
            out += "failed (\(manifest.failures.count)):\n"
            for failure in manifest.failures {
                let place = failure.snapshot.map { "snapshot \($0 + 1)" } ?? "once"
                out += "  \(place) \(failure.endpoint)\(failure.query.isEmpty ? "" : "?" + failure.query): \(failure.message)\n"
            }
        }
        return out
    }

    static func label(_ entry: CaptureManifest.Entry) -> String {
        if entry.kind == .cpu || entry.kind == .trace {
            return "\(entry.kind == .cpu ? "cpu" : "trace") " + entry.query.replacingOccurrences(of: "seconds=", with: "") + "s"
        }
        return entry.endpoint.isEmpty ? "index" : entry.endpoint + (entry.query.isEmpty ? "" : " " + entry.query)
    }

    /// `812 B`, `14.2 kB`, `1.2 MB` (1024-based, as everywhere).
    static func size(_ bytes: Int) -> String { Numbers.bytes(Double(bytes)) }

    static func seconds(_ value: Double) -> String { Numbers.duration(seconds: value) }
}
