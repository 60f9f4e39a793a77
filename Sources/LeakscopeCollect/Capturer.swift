import Foundation
import LeakscopeCapture

/// Takes `plan.snapshots` snapshots of a Go service's profiles, `plan.interval` apart, into a capture
/// directory with a `manifest.json` (see `CaptureManifest`).
///
/// Each snapshot: the index page's counts, `goroutine?debug=2` (or `debug=1` above the goroutine
/// ceiling), `goroutine` (proto), `goroutineleak?debug=1`, `heap?gc=1`, `mutex`, `block`. Once per
/// capture: `cmdline` (first), a CPU profile running during the wait after the first snapshot (at the
/// end when there is one snapshot), `allocs` and `threadcreate` with the last snapshot, and with
/// `traceSeconds` an execution trace started with the first snapshot.
///
/// Requests to the target are sequential, except the CPU profile and the execution trace, which
/// overlap the snapshots so they do not lengthen the capture. Only an unusable index page at the start fails the capture; any
/// other failure is recorded and the capture goes on. Cancelling the task stops at the next request
/// and leaves a manifest with status `interrupted` listing what was fetched.
public struct Capturer: Sendable {
    public let target: CaptureTarget
    public let plan: CapturePlan

    /// Makes the sink a capture writes into, given the manifest it starts from.
    package typealias SinkFactory = @Sendable (CaptureManifest) throws(CaptureError) -> any CaptureSink
    private let makeSink: SinkFactory

    /// A capture into the directory `plan.directory` (see docs/CAPTURE.md).
    public init(target: CaptureTarget, plan: CapturePlan) {
        self.target = target
        self.plan = plan
        let directory = plan.directory
        makeSink = { manifest throws(CaptureError) in try DirectorySink(directory: directory, manifest: manifest) }
    }

    /// A capture into a sink of the caller's (a daemon's store).
    package init(target: CaptureTarget, plan: CapturePlan, sink: @escaping SinkFactory) {
        self.target = target
        self.plan = plan
        makeSink = sink
    }

    typealias Kind = CaptureManifest.Entry.Kind

    /// Runs the capture. Throws only when the target is unusable (unreachable, no net/http/pprof at the
    /// prefix) before anything was written, or when the directory cannot be written.
    public func run(progress: @escaping @Sendable (CaptureProgress) -> Void = { _ in }) async throws(CaptureError)
        -> CaptureManifest
    {
        let clock = ContinuousClock()
        let firstStart = clock.now
        let started = Date()
        let indexProgress = CaptureProgress(snapshot: 0, snapshots: plan.snapshots, kind: .index, label: "index", event: .started)
        progress(indexProgress)
        let indexResponse = await target.get("", acceptHTML: true)
        let indexBody: [UInt8]
        switch indexResponse.result {
        case .failure(let error):
            throw CaptureError(.unreachable(error.kind), url: error.url, error.message)
        case .success(let body):
            indexBody = body
        }
        guard let index = PprofIndex.parse(indexBody) else {
            throw CaptureError(.notPprof, url: target.baseURL,
                               "the page here is not net/http/pprof's index (a login page or another app? check the URL and --prefix)")
        }
        let manifest = CaptureManifest(
            format: CaptureManifest.currentFormat, target: target.baseURL, status: .running, started: started,
            finished: nil, goVersion: nil, cmdline: nil,
            plan: .init(snapshots: plan.snapshots, intervalSeconds: Self.seconds(plan.interval), cpuSeconds: plan.cpuSeconds,
                        goroutineCeiling: target.goroutineCeiling, maxBytes: target.maxBytes,
                        traceSeconds: plan.traceSeconds > 0 ? plan.traceSeconds : nil),
            snapshots: [], once: [], failures: [])
        let recorder = try makeSink(manifest)
        let session = Session(target: target, plan: plan, recorder: recorder, progress: progress)
        do {
            try await recorder.beginSnapshot(index: 0, time: started)
            try await session.record(.index, endpoint: "", query: "", snapshot: 0, fileName: "index.html",
                                     result: indexResponse.result.map { .bytes($0) }, attempts: indexResponse.attempts,
                                     started: started, startInstant: firstStart)
            try await recorder.setCounts(snapshot: 0, index: index)
            try await session.run(firstIndex: index, firstStart: firstStart)
        } catch let error as CaptureError {
            throw error
        } catch {
            // Only cancellation reaches here; the manifest is finished below.
        }
        let status: CaptureManifest.Status = Task.isCancelled ? .interrupted : .complete
        return try await recorder.finish(status: status, at: Date())
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
