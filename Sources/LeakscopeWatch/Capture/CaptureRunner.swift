import Foundation
import LeakscopeCapture
import LeakscopeCollect
import LeakscopeDiagnose
import LeakscopeFindings

/// Captures a target's evidence when an alert fires and diagnoses it in-process.
///
/// The capture is `leakscope capture`'s (`Capturer`): per snapshot the goroutine dump (`debug=2`,
/// or the grouped profile above the goroutine ceiling), the goroutine proto, `goroutineleak` when
/// served, `heap?gc=1`, mutex and block; a CPU profile when `cpu_seconds` is set and an execution
/// trace (read by diagnose as lifecycle evidence) when `trace_seconds` is. The capture set
/// goes to `capture.directory`, then `diagnose` runs on it and its top finding (one that names
/// code, when any does) is what the alert carries. At most `max_concurrent` captures run at once.
struct CaptureRunner: Sendable {
    var config: WatchConfig.Capture
    var store: WatchStore
    let limiter: Limiter

    init(config: WatchConfig.Capture, store: WatchStore) {
        self.config = config
        self.store = store
        limiter = Limiter(config.maxConcurrent)
    }

    struct Result: Sendable {
        var captureID: Int64?
        var top: TopFinding?
        var error: String?
    }

    func run(target: WatchTarget, alertID: Int64?) async -> Result {
        await limiter.acquire()
        let result = await capture(target: target, alertID: alertID)
        await limiter.release()
        return result
    }

    private func capture(target: WatchTarget, alertID: Int64?) async -> Result {
        let now = Date()
        let directory = URL(fileURLWithPath: config.directory)
            .appendingPathComponent("\(Self.slug(target.url))-\(Self.stamp(now))-\(alertID.map(String.init) ?? "x")")
        var record = CaptureRecord(id: nil, target: target.url, alertID: alertID, time: now.timeIntervalSince1970,
                                   directory: directory.path, status: "running", findings: nil, error: nil)
        record.id = try? store.insertCapture(record)
        var result = Result(captureID: record.id)
        do {
            let plan = try CapturePlan(snapshots: config.snapshots,
                                       interval: .milliseconds(Int64(config.snapshotInterval * 1000)),
                                       cpuSeconds: config.cpuSeconds, traceSeconds: config.traceSeconds,
                                       directory: directory)
            _ = try await Capturer(target: target.capture, plan: plan).run()
            let input = try DiagnoseInputs.load([directory.path])
            let report = Diagnosis.run(input)
            let top = Self.top(report.findings)
            result.top = top
            record.status = "diagnosed"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            record.findings = (try? encoder.encode(Array(report.findings.prefix(5)))).map { String(decoding: $0, as: UTF8.self) }
        } catch {
            result.error = "\(error)"
            record.status = "failed"
            record.error = "\(error)"
        }
        try? store.updateCapture(record)
        return result
    }

    /// The finding an alert carries: the highest-ranked one that names code, else the highest-ranked.
    static func top(_ findings: [Finding]) -> TopFinding? {
        let alarming = findings.filter { $0.severity != .info }
        guard let finding = alarming.first(where: { $0.location != nil }) ?? alarming.first ?? findings.first else { return nil }
        return TopFinding(title: finding.title, function: finding.location?.function,
                          location: finding.location.map { "\($0.file):\($0.line)" }, hint: finding.hint)
    }

    /// `http://127.0.0.1:6060` → `127.0.0.1_6060`.
    static func slug(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        return String(text.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }.prefix(80))
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
