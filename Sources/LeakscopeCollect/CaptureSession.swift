import Foundation
import LeakscopeCapture

/// One capture's run: the order of requests and the bookkeeping around each one.
struct Session: Sendable {
    let target: CaptureTarget
    let plan: CapturePlan
    let recorder: any CaptureSink
    let progress: @Sendable (CaptureProgress) -> Void
    private let clock = ContinuousClock()

    init(target: CaptureTarget, plan: CapturePlan, recorder: any CaptureSink,
         progress: @escaping @Sendable (CaptureProgress) -> Void) {
        self.target = target
        self.plan = plan
        self.recorder = recorder
        self.progress = progress
    }

    typealias Kind = CaptureManifest.Entry.Kind

    /// A fetched body: in memory (to be written by the recorder) or already in its file.
    enum Body: Sendable {
        case bytes([UInt8])
        case file(relative: String, size: Int)
    }

    func run(firstIndex: PprofIndex, firstStart: ContinuousClock.Instant) async throws {
        try await fetch(.cmdline, endpoint: "cmdline", snapshot: nil, fileName: "cmdline.txt", label: "cmdline",
                        acceptHTML: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The trace covers the snapshots: its goroutine lifecycles are evidence for what they show.
            if plan.traceSeconds > 0 { group.addTask { try await self.executionTrace() } }
            var goroutines = firstIndex.goroutineCount
            for number in 0..<plan.snapshots {
                if number > 0 {
                    let due = firstStart + plan.interval * number
                    let wait = due - clock.now
                    if wait > .zero {
                        progress(CaptureProgress(snapshot: number, snapshots: plan.snapshots, kind: nil, label: "next snapshot",
                                                 event: .waiting(seconds: Capturer.seconds(wait))))
                        try await Task.sleep(until: due, clock: clock)
                    }
                    try Task.checkCancellation()
                    let time = Date()
                    try await recorder.beginSnapshot(index: number, time: time)
                    let (index, reachable) = try await fetchIndex(snapshot: number, time: time)
                    goroutines = index?.goroutineCount ?? goroutines
                    if reachable { try await snapshot(number, goroutines: goroutines) }
                } else {
                    try await snapshot(number, goroutines: goroutines)
                }
                if number == 0, plan.snapshots > 1, plan.cpuSeconds > 0 {
                    group.addTask { try await self.cpuProfile() }
                }
                if number == plan.snapshots - 1 {
                    try await fetch(.allocs, endpoint: "allocs", snapshot: nil, fileName: "allocs.pb.gz", label: "allocs")
                    try await fetch(.threadcreate, endpoint: "threadcreate", snapshot: nil, fileName: "threadcreate.pb.gz",
                                    label: "threadcreate")
                }
            }
            if plan.snapshots == 1, plan.cpuSeconds > 0 { try await cpuProfile() }
            try await group.waitForAll()
        }
    }

    /// The per-snapshot requests after the index page.
    func snapshot(_ number: Int, goroutines: Int?) async throws {
        if let goroutines, goroutines <= target.goroutineCeiling {
            try await fetch(.goroutineStacks, endpoint: "goroutine", query: "debug=2", snapshot: number,
                            fileName: "goroutine-debug2.txt", label: "goroutine debug=2")
        } else {
            let note = goroutines.map {
                "\($0) goroutines, above the ceiling of \(target.goroutineCeiling): took debug=1 instead (debug=2 stops the world)"
            } ?? "goroutine count unknown: took debug=1 instead (debug=2 stops the world)"
            try await skip(.goroutineStacks, endpoint: "goroutine", query: "debug=2", snapshot: number, note: note,
                           label: "goroutine debug=2")
            try await fetch(.goroutineGroups, endpoint: "goroutine", query: "debug=1", snapshot: number,
                            fileName: "goroutine-debug1.txt", label: "goroutine debug=1")
        }
        try await fetch(.goroutine, endpoint: "goroutine", snapshot: number, fileName: "goroutine.pb.gz", label: "goroutine")
        try await fetch(.goroutineLeak, endpoint: "goroutineleak", query: "debug=1", snapshot: number,
                        fileName: "goroutineleak-debug1.txt", label: "goroutineleak debug=1",
                        notFoundNote: "not available (Go < 1.26)")
        try await fetch(.heap, endpoint: "heap", query: "gc=1", snapshot: number, fileName: "heap.pb.gz", label: "heap")
        try await fetch(.mutex, endpoint: "mutex", snapshot: number, fileName: "mutex.pb.gz", label: "mutex")
        try await fetch(.block, endpoint: "block", snapshot: number, fileName: "block.pb.gz", label: "block")
    }

    /// A later snapshot's index page; a failure is recorded, not thrown. `reachable` is false when no
    /// connection could be made (the service stopped or is restarting): the snapshot's other requests
    /// are then not attempted, rather than each failing the same way after its retries.
    func fetchIndex(snapshot: Int, time: Date) async throws -> (index: PprofIndex?, reachable: Bool) {
        let start = clock.now
        progress(CaptureProgress(snapshot: snapshot, snapshots: plan.snapshots, kind: .index, label: "index", event: .started))
        var response = await target.get("", acceptHTML: true)
        try Task.checkCancellation()
        var index: PprofIndex? = nil
        if case .success(let body) = response.result {
            index = PprofIndex.parse(body)
            if index == nil {
                response.result = .failure(FetchError(.htmlResponse, url: target.baseURL,
                                                      "the page here is no longer net/http/pprof's index"))
            }
        }
        try await record(.index, endpoint: "", query: "", snapshot: snapshot, fileName: "index.html",
                         result: response.result.map { .bytes($0) }, attempts: response.attempts, started: time, startInstant: start)
        if let index { try await recorder.setCounts(snapshot: snapshot, index: index) }
        if case .failure(let error) = response.result, error.kind == .connectionRefused || error.kind == .connectFailed {
            return (nil, false)
        }
        return (index, true)
    }

    /// The CPU profile; at most one per target at a time in this process.
    func cpuProfile() async throws {
        let key = target.origin
        await CPUProfileGate.shared.acquire(key)
        do {
            try await fetch(.cpu, endpoint: "profile", query: "seconds=\(plan.cpuSeconds)", snapshot: nil,
                            fileName: "cpu.pb.gz", label: "cpu \(plan.cpuSeconds)s", extraTime: .seconds(plan.cpuSeconds))
        } catch {
            await CPUProfileGate.shared.release(key)
            throw error
        }
        await CPUProfileGate.shared.release(key)
    }

    /// The execution trace, `trace?seconds=N`: the target streams it for N seconds.
    func executionTrace() async throws {
        try await fetch(.trace, endpoint: "trace", query: "seconds=\(plan.traceSeconds)", snapshot: nil,
                        fileName: "trace.out", label: "trace \(plan.traceSeconds)s", extraTime: .seconds(plan.traceSeconds))
    }

    /// Fetches one endpoint and records it. Bodies go straight to their file (through a `.partial` name,
    /// renamed when complete); only cmdline is read into memory, for the manifest.
    func fetch(_ kind: Kind, endpoint: String, query: String = "", snapshot: Int?, fileName: String, label: String,
               extraTime: Duration = .zero, acceptHTML: Bool = false, notFoundNote: String? = nil) async throws {
        try Task.checkCancellation()
        let started = Date()
        let start = clock.now
        progress(CaptureProgress(snapshot: snapshot, snapshots: plan.snapshots, kind: kind, label: label, event: .started))
        let result: Result<Body, FetchError>
        let attempts: Int
        if kind == .cmdline {
            let response = await target.get(endpoint, query: query, extraTime: extraTime, acceptHTML: acceptHTML)
            if case .success(let body) = response.result {
                await recorder.setCommandLine(body.split(separator: 0, omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) })
            }
            (result, attempts) = (response.result.map { .bytes($0) }, response.attempts)
        } else {
            let relative = DirectorySink.folder(snapshot: snapshot) + "/" + fileName
            let partial = try await recorder.stagingFile(for: relative)
            let response = await target.download(endpoint, query: query, extraTime: extraTime, to: partial)
            switch response.result {
            case .success(let size):
                if let problem = CaptureValidation.problem(kind: kind, path: partial.path) {
                    try? FileManager.default.removeItem(at: partial)
                    result = .failure(FetchError(.invalidBody, url: target.url(endpoint, query: query), problem))
                } else {
                    try await recorder.commit(partial, as: relative)
                    result = .success(.file(relative: relative, size: size))
                }
            case .failure(let error):
                try? FileManager.default.removeItem(at: partial)
                result = .failure(error)
            }
            attempts = response.attempts
        }
        // A request cut short by Ctrl-C is not a failure of the target: leave it out.
        try Task.checkCancellation()
        try await record(kind, endpoint: endpoint, query: query, snapshot: snapshot, fileName: fileName, result: result,
                         attempts: attempts, started: started, startInstant: start, notFoundNote: notFoundNote, label: label)
    }

    func skip(_ kind: Kind, endpoint: String, query: String, snapshot: Int, note: String, label: String) async throws {
        let entry = CaptureManifest.Entry(kind: kind, endpoint: endpoint, query: query, status: .skipped, file: nil, bytes: nil,
                                          started: Date(), durationSeconds: 0, attempts: 0, error: nil, note: note)
        try await recorder.record(entry, body: nil, fileName: "", snapshot: snapshot)
        progress(CaptureProgress(snapshot: snapshot, snapshots: plan.snapshots, kind: kind, label: label, event: .skipped(note: note)))
    }

    func record(_ kind: Kind, endpoint: String, query: String, snapshot: Int?, fileName: String,
                result: Result<Body, FetchError>, attempts: Int, started: Date, startInstant: ContinuousClock.Instant,
                notFoundNote: String? = nil, label: String? = nil) async throws {
        let elapsed = (Capturer.seconds(clock.now - startInstant) * 1000).rounded() / 1000
        var entry = CaptureManifest.Entry(kind: kind, endpoint: endpoint, query: query, status: .fetched, file: nil,
                                          bytes: nil, started: started, durationSeconds: elapsed,
                                          attempts: attempts, error: nil, note: nil)
        var body: [UInt8]? = nil
        let event: CaptureProgress.Event
        switch result {
        case .success(.bytes(let bytes)):
            body = bytes
            event = .fetched(bytes: bytes.count)
        case .success(.file(let relative, let size)):
            entry.file = relative
            entry.bytes = size
            event = .fetched(bytes: size)
        case .failure(let error):
            if let notFoundNote, error.kind == .httpStatus(404) {
                entry.status = .unavailable
                entry.note = notFoundNote
                event = .unavailable(note: notFoundNote)
            } else {
                entry.status = .failed
                entry.error = error.description
                event = .failed(message: error.description)
            }
        }
        try await recorder.record(entry, body: body, fileName: fileName, snapshot: snapshot)
        progress(CaptureProgress(snapshot: snapshot, snapshots: plan.snapshots, kind: kind, label: label ?? kind.rawValue,
                                 event: event))
    }
}
