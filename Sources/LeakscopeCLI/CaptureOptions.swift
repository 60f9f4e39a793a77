import ArgumentParser
import Foundation
import LeakscopeCollect

/// The options of a live capture, shared by `leakscope capture` and `leakscope diagnose URL`:
/// how many snapshots, how far apart, the CPU profile, and how to reach the target.
struct CaptureOptions: ParsableArguments {
    @Option(help: "How many snapshots to take.")
    var snapshots = 3

    @Option(help: ArgumentHelp("Time from one snapshot's start to the next one's (\(DurationArgument.helpText)).",
                               valueName: "duration"))
    var interval = DurationArgument(.seconds(30), text: "30s")

    @Option(help: ArgumentHelp("Length of the CPU profile, at most \(CapturePlan.maxCPUSeconds); 0 takes none.",
                               valueName: "seconds"))
    var cpuSeconds = 10

    @Option(help: ArgumentHelp("Length of an execution trace taken while the snapshots run, at most \(CapturePlan.maxTraceSeconds); 0 takes none.",
                               valueName: "seconds"))
    var traceSeconds = 0

    @Option(name: .customLong("header"),
            help: ArgumentHelp("An extra request header, such as 'Authorization: Bearer …' (repeatable).",
                               valueName: "Name: value"))
    var headers: [String] = []

    @Option(help: ArgumentHelp("The path net/http/pprof is served under, instead of the URL's path or /debug/pprof/.",
                               valueName: "path"))
    var prefix: String?

    @OptionGroup var redirects: RedirectOption

    @Flag(help: "Accept any https certificate.")
    var insecure = false

    @Option(help: ArgumentHelp("Trust the certificate authorities in this PEM file instead of the system's.",
                               valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("Limit for connecting (\(DurationArgument.helpText)).", valueName: "duration"))
    var connectTimeout = DurationArgument(CaptureTarget.defaultConnectTimeout, text: "5s")

    @Option(help: ArgumentHelp("Limit for each request, body included; the CPU profile gets its length on top.",
                               valueName: "duration"))
    var timeout = DurationArgument(CaptureTarget.defaultTimeout, text: "30s")

    @Option(help: "Retries of a refused or reset connection or a 5xx answer, with exponential backoff.")
    var retries = CaptureTarget.defaultRetries

    @Option(help: ArgumentHelp("Largest response accepted, in bytes (suffixes K, M, G: KiB, MiB, GiB).", valueName: "size"))
    var maxBytes = ByteCountArgument(ProfileFetcher.defaultMaxBytes, text: "512M")

    @Option(help: "Above this many goroutines take goroutine?debug=1 instead of debug=2 (which stops the world).")
    var goroutineCeiling = CaptureTarget.defaultGoroutineCeiling

    func validate() throws {
        guard snapshots >= 1, snapshots <= CapturePlan.maxSnapshots else {
            throw ValidationError("--snapshots must be between 1 and \(CapturePlan.maxSnapshots)")
        }
        guard cpuSeconds >= 0 else { throw ValidationError("--cpu-seconds must not be negative") }
        guard cpuSeconds <= CapturePlan.maxCPUSeconds else {
            throw ValidationError("--cpu-seconds \(cpuSeconds) is refused: at most \(CapturePlan.maxCPUSeconds) (a CPU profile holds the target's only CPU profiler that long)")
        }
        guard traceSeconds >= 0, traceSeconds <= CapturePlan.maxTraceSeconds else {
            throw ValidationError("--trace-seconds must be between 0 and \(CapturePlan.maxTraceSeconds)")
        }
        guard retries >= 0, retries <= 20 else { throw ValidationError("--retries must be between 0 and 20") }
        guard goroutineCeiling >= 0 else { throw ValidationError("--goroutine-ceiling must not be negative") }
        guard connectTimeout.duration > .zero, timeout.duration > .zero else {
            throw ValidationError("timeouts must be longer than 0")
        }
        for header in headers where Self.splitHeader(header) == nil {
            throw ValidationError("--header '\(header)' is not 'Name: value'")
        }
    }

    /// The target at `url` with these options.
    func target(url: String) throws(CaptureError) -> CaptureTarget {
        try CaptureTarget(
            url: url, prefix: prefix,
            headers: headers.compactMap(Self.splitHeader).map { CaptureTarget.Header(name: $0.name, value: $0.value) },
            verifyCertificates: !insecure, caFile: caFile, connectTimeout: connectTimeout.duration,
            timeout: timeout.duration, retries: retries, maxBytes: maxBytes.bytes, goroutineCeiling: goroutineCeiling)
    }

    /// The plan writing into `directory`.
    func plan(directory: URL) throws(CaptureError) -> CapturePlan {
        try CapturePlan(snapshots: snapshots, interval: interval.duration, cpuSeconds: cpuSeconds,
                        traceSeconds: traceSeconds, directory: directory)
    }

    /// `Name: value` → (Name, value); nil without a colon or with an empty name.
    static func splitHeader(_ text: String) -> (name: String, value: String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(" ") else { return nil }
        return (name, value)
    }
}

/// A byte count with an optional binary suffix: `1048576`, `64K`, `512M`, `2G` (also `KiB`, `MB` …,
/// all powers of 1024).
struct ByteCountArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var bytes: Int
    var text: String

    init(_ bytes: Int, text: String) {
        self.bytes = bytes
        self.text = text
    }

    init?(argument: String) {
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits) else { return nil }
        let shift: Int
        switch trimmed.dropFirst(digits.count).uppercased() {
        case "", "B": shift = 0
        case "K", "KB", "KIB": shift = 10
        case "M", "MB", "MIB": shift = 20
        case "G", "GB", "GIB": shift = 30
        default: return nil
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow, value > 0 else { return nil }
        self.init(value, text: argument)
    }

    var description: String { text }
    var defaultValueDescription: String { text }
}
