import Foundation
import AsyncHTTPClient
import NIOCore
import LeakscopeCollect

/// Sends alerts to Alertmanager (`POST /api/v2/alerts`) and to a generic JSON webhook.
///
/// Labels: `alertname`, `target` (the URL as configured), `severity`, and the target's own labels.
/// Annotations: `summary`, and from the top finding `function`, `location` (`file:line`), `hint`,
/// `finding`. A firing alert's `endsAt` is four re-send periods ahead (Alertmanager resolves an alert
/// it stops hearing about); a resolved one's is when it resolved.
struct Notifier: Sendable {
    var alertmanager: String?
    var webhook: String?
    var timeout: Duration

    /// Alertmanager's v2 alert.
    struct PostableAlert: Codable, Equatable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt: String?
        var generatorURL: String
    }

    static func postable(_ alert: AlertRecord, labels: [String: String], generatorURL: String, resendSeconds: Double,
                         now: Double = Date().timeIntervalSince1970) -> PostableAlert {
        var all = labels
        all["alertname"] = alert.rule
        all["target"] = alert.target
        if all["severity"] == nil { all["severity"] = alert.severity }
        var annotations = ["summary": "\(alert.rule) on \(alert.target): \(alert.summary)"]
        if let function = alert.function { annotations["function"] = function }
        if let location = alert.location { annotations["location"] = location }
        if let hint = alert.hint { annotations["hint"] = hint }
        if let title = alert.findingTitle { annotations["finding"] = title }
        let ends = alert.state == "resolved" ? (alert.endsAt ?? now) : now + 4 * resendSeconds
        return PostableAlert(labels: all, annotations: annotations, startsAt: rfc3339(alert.startsAt),
                             endsAt: rfc3339(ends), generatorURL: generatorURL)
    }

    /// Sends `alerts`; returns one line per failed delivery.
    func send(_ alerts: [(AlertRecord, [String: String])], generatorURL: @Sendable (AlertRecord) -> String,
              resendSeconds: Double) async -> [String] {
        let postable = alerts.map { Self.postable($0.0, labels: $0.1, generatorURL: generatorURL($0.0), resendSeconds: resendSeconds) }
        var failures: [String] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let alertmanager, let body = try? encoder.encode(postable) {
            let base = alertmanager.hasSuffix("/") ? String(alertmanager.dropLast()) : alertmanager
            if let failure = await post(base + "/api/v2/alerts", body: body) { failures.append(failure) }
        }
        if let webhook {
            for (record, alert) in zip(alerts.map(\.0), postable) {
                let payload = Webhook(status: record.state, alert: alert)
                if let body = try? encoder.encode(payload), let failure = await post(webhook, body: body) {
                    failures.append(failure)
                }
            }
        }
        return failures
    }

    /// The generic webhook's body: `{"status": "firing"|"resolved", "alert": {…as sent to Alertmanager}}`.
    struct Webhook: Codable {
        var status: String
        var alert: PostableAlert
    }

    func post(_ url: String, body: Data) async -> String? {
        let client = HTTPClients.shared.client(.init(verifyCertificates: true, caFile: nil, connectMilliseconds: 5000))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "leakscope-watch")
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + .nanoseconds(Int64(Poller.seconds(timeout) * 1e9))
        do {
            let response = try await client.execute(request, deadline: deadline)
            var text: [UInt8] = []
            for try await buffer in response.body where text.count < 512 {
                buffer.withUnsafeReadableBytes { text.append(contentsOf: $0.prefix(512 - text.count)) }
            }
            guard (200..<300).contains(Int(response.status.code)) else {
                return "\(url): \(response.status.code) \(String(decoding: text, as: UTF8.self).prefix(200))"
            }
            return nil
        } catch {
            return "\(url): \(Poller.describe(error, timeout: timeout))"
        }
    }

    /// `2026-12-03T10:04:05.123Z`.
    static func rfc3339(_ seconds: Double) -> String { UTCTime.rfc3339(seconds) }
}
