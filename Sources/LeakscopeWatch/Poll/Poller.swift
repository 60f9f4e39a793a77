import Foundation
import AsyncHTTPClient
import NIOCore
import LeakscopeCollect
import LeakscopeFormat

/// One cheap poll of a target: goroutine count and heap figures, the cheapest way the target offers.
///
/// - Its Prometheus `/metrics` when it serves `go_goroutines` (one request, no stop-the-world);
///   every metric a rule names is read from the same page.
/// - Otherwise net/http/pprof: the index page (its goroutine count is `runtime.NumGoroutine`, no
///   stacks are walked) and `heap?debug=1`'s `# runtime.MemStats` trailer (`HeapInuse`, `HeapAlloc`,
///   `GCCPUFraction`).
///
/// Never `goroutine?debug=2` (it stops the world for the whole dump): that is for captures only.
/// Bodies are read up to a cap; every request has a deadline.
struct Poller: Sendable {
    var timeout: Duration
    var maxBytes: Int

    struct Outcome: Sendable {
        var samples: [(metric: String, value: Double)] = []
        var error: String?
        /// Whether `/metrics` answered with Go metrics (nil: not tried).
        var metricsServed: Bool?
    }

    /// Polls `target`. `tryMetrics` is false once the target showed it has no usable `/metrics`.
    func poll(_ target: WatchTarget, tryMetrics: Bool, extraMetrics: Set<String>) async -> Outcome {
        var outcome = Outcome()
        if tryMetrics, let metricsURL = target.metricsURL {
            switch await get(metricsURL, target: target) {
            case .success(let body):
                let wanted = extraMetrics.union(MetricNames.prometheus.keys)
                let values = PrometheusText.values(body, names: wanted)
                if let goroutines = values["go_goroutines"] {
                    outcome.metricsServed = true
                    outcome.samples.append(("goroutines", goroutines))
                    for (prometheusName, name) in MetricNames.prometheus where prometheusName != "go_goroutines" {
                        if let value = values[prometheusName] { outcome.samples.append((name, value)) }
                    }
                    for name in extraMetrics.sorted() where MetricNames.prometheus[name] == nil {
                        if let value = values[name] { outcome.samples.append((name, value)) }
                    }
                    return outcome
                }
                outcome.metricsServed = false
            case .failure(let error):
                // Unreachable is unreachable whichever page we ask; anything else means "no usable /metrics".
                if error.isConnectionFailure { outcome.error = error.description; return outcome }
                outcome.metricsServed = false
            }
        }
        switch await get(target.capture.url(""), target: target) {
        case .success(let body):
            guard let count = IndexGoroutines.count(body) ?? PprofIndex.parse(body)?.goroutineCount else {
                outcome.error = "\(target.capture.baseURL): not net/http/pprof's index page"
                return outcome
            }
            outcome.samples.append(("goroutines", Double(count)))
        case .failure(let error):
            outcome.error = error.description
            return outcome
        }
        if case .success(let body) = await get(target.capture.url("heap", query: "debug=1"), target: target) {
            for (name, value) in MemStatsTrailer.values(body) { outcome.samples.append((name, value)) }
        }
        return outcome
    }

    struct PollError: Error, CustomStringConvertible {
        var url: String
        var message: String
        var isConnectionFailure: Bool
        var description: String { "\(url): \(message)" }
    }

    /// GETs `url` with the target's headers, the poll deadline and the body cap.
    func get(_ url: String, target: WatchTarget) async -> Result<[UInt8], PollError> {
        let capture = target.capture
        let client = HTTPClients.shared.client(.init(
            verifyCertificates: capture.verifyCertificates, caFile: capture.caFile,
            connectMilliseconds: max(1, Int64(Self.seconds(timeout) * 1000))))
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "leakscope-watch")
        for header in capture.headers { request.headers.add(name: header.name, value: header.value) }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(Self.seconds(timeout) * 1e9))
        do {
            let response = try await client.execute(request, deadline: deadline)
            guard response.status.code == 200 else {
                return .failure(PollError(url: url, message: "server response: \(response.status.code)", isConnectionFailure: false))
            }
            var body: [UInt8] = []
            for try await buffer in response.body {
                guard body.count + buffer.readableBytes <= maxBytes else {
                    return .failure(PollError(url: url, message: "response larger than \(maxBytes) bytes", isConnectionFailure: false))
                }
                buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) }
            }
            return .success(body)
        } catch {
            return .failure(PollError(url: url, message: Self.describe(error, timeout: timeout), isConnectionFailure: true))
        }
    }

    /// A transport error in a few words: `connection refused`, `no answer within 1.0s`, or its first line.
    static func describe(_ error: any Error, timeout: Duration) -> String {
        let text = "\(error)".lowercased()
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        if text.contains("deadline") || text.contains("timeout") || text.contains("timedout") {
            return "no answer within \(Numbers.duration(seconds: seconds(timeout)))"
        }
        return "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "request failed"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The metrics a poll reports under leakscope's names, and the Prometheus names they come from.
enum MetricNames {
    static let prometheus: [String: String] = [
        "go_goroutines": "goroutines",
        "go_memstats_heap_inuse_bytes": "heap_inuse_bytes",
        "go_memstats_heap_alloc_bytes": "heap_alloc_bytes",
        "go_threads": "threads",
    ]
}
