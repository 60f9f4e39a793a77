import Foundation
import LeakscopeCapture

/// How many snapshots, how far apart, how long a CPU profile, and where the files go.
public struct CapturePlan: Sendable {
    public var snapshots: Int
    /// From the start of one snapshot to the start of the next.
    public var interval: Duration
    /// 0 takes no CPU profile.
    public var cpuSeconds: Int
    /// Length of the execution trace taken while the snapshots run; 0 takes none.
    public var traceSeconds: Int
    public var directory: URL

    /// A CPU profile holds the target's one profiler for its whole duration (a second request gets
    /// "cpu profiling already in use") and long ones run into servers' WriteTimeout: one minute at most.
    public static let maxCPUSeconds = 60
    public static let maxSnapshots = 1000
    /// The target runs one execution trace at a time (a second gets "Could not enable tracing"), and a
    /// busy service writes megabytes per second of it: one minute at most.
    public static let maxTraceSeconds = 60

    public init(snapshots: Int, interval: Duration, cpuSeconds: Int, traceSeconds: Int = 0,
                directory: URL) throws(CaptureError) {
        guard snapshots >= 1, snapshots <= Self.maxSnapshots else {
            throw CaptureError(.invalidPlan, url: directory.path,
                               "the number of snapshots must be between 1 and \(Self.maxSnapshots), not \(snapshots)")
        }
        guard interval >= .zero, interval <= .seconds(24 * 3600) else {
            throw CaptureError(.invalidPlan, url: directory.path, "the interval must be between 0 and 24 hours")
        }
        guard cpuSeconds >= 0 else {
            throw CaptureError(.invalidPlan, url: directory.path, "CPU seconds must not be negative")
        }
        guard cpuSeconds <= Self.maxCPUSeconds else {
            throw CaptureError(.invalidPlan, url: directory.path,
                               "a CPU profile of \(cpuSeconds) s is refused: at most \(Self.maxCPUSeconds) s (it holds the target's only CPU profiler that long)")
        }
        guard traceSeconds >= 0, traceSeconds <= Self.maxTraceSeconds else {
            throw CaptureError(.invalidPlan, url: directory.path,
                               "an execution trace of \(traceSeconds) s is refused: between 0 and \(Self.maxTraceSeconds) s")
        }
        self.snapshots = snapshots
        self.interval = interval
        self.cpuSeconds = cpuSeconds
        self.traceSeconds = traceSeconds
        self.directory = directory
    }
}

/// A step of a running capture, for progress display.
public struct CaptureProgress: Sendable {
    public enum Event: Sendable, Equatable {
        /// A request started.
        case started
        /// A request finished with this many body bytes.
        case fetched(bytes: Int)
        case failed(message: String)
        case unavailable(note: String)
        case skipped(note: String)
        /// Waiting before the next snapshot, until `seconds` from now.
        case waiting(seconds: Double)
    }

    /// 0-based snapshot, nil for a once-per-capture profile.
    public var snapshot: Int?
    public var snapshots: Int
    public var kind: CaptureManifest.Entry.Kind?
    /// `heap`, `goroutine debug=2`, `cpu 10s` …
    public var label: String
    public var event: Event
}
