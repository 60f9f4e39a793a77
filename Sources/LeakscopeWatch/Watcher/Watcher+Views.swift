import Foundation
import LeakscopeWatchRules

/// A target's live state, as `/api/v1/targets` shows it.
public struct TargetView: Sendable, Codable {
    public var url: String
    public var labels: [String: String]
    /// `up`, `down` or `unknown` (not polled yet).
    public var health: String
    public var lastPoll: String?
    public var lastError: String?
    public var lastPollSeconds: Double?
    /// `metrics` (its Prometheus /metrics) or `pprof` (index page and heap trailer).
    public var source: String?
    public var goroutines: Double?
    public var heapInuseBytes: Double?
    /// Rules pending or firing on this target: name → `pending` | `firing`.
    public var rules: [String: String]
}

extension Watcher {
    public func targetViews() -> [TargetView] {
        order.compactMap { url -> TargetView? in
            guard let state = states[url] else { return nil }
            var rules: [String: String] = [:]
            for rule in config.rules {
                if let phase = ruleStates[Self.key(url, rule.name, rule.metric)]?.phase, phase != .inactive {
                    rules[rule.name] = phase.rawValue
                }
            }
            return TargetView(
                url: url, labels: state.target.labels,
                health: state.up.map { $0 ? "up" : "down" } ?? "unknown",
                lastPoll: state.lastPoll.map(Notifier.rfc3339), lastError: state.lastError, lastPollSeconds: state.lastLatency,
                source: state.up == true ? (state.metricsServed == true ? "metrics" : "pprof") : nil,
                goroutines: state.recent["goroutines"]?.last?.value, heapInuseBytes: state.recent["heap_inuse_bytes"]?.last?.value,
                rules: rules)
        }
    }

    /// What leakscope sees, in Prometheus' text exposition format 0.0.4.
    public func metricsText() -> String {
        var out = MetricsText()
        out.family("leakscope_target_up", "gauge", "1 when the target's last poll succeeded, 0 when it failed.")
        for url in order { if let up = states[url]?.up { out.sample("leakscope_target_up", ["target": url], up ? 1 : 0) } }
        out.family("leakscope_target_goroutines", "gauge", "Goroutines of the target at its last poll.")
        for url in order {
            if let value = states[url]?.recent["goroutines"]?.last?.value { out.sample("leakscope_target_goroutines", ["target": url], value) }
        }
        out.family("leakscope_target_heap_inuse_bytes", "gauge", "Heap in use of the target at its last poll.")
        for url in order {
            if let value = states[url]?.recent["heap_inuse_bytes"]?.last?.value {
                out.sample("leakscope_target_heap_inuse_bytes", ["target": url], value)
            }
        }
        out.family("leakscope_poll_duration_seconds", "gauge", "How long the target's last poll took.")
        for url in order {
            if let value = states[url]?.lastLatency { out.sample("leakscope_poll_duration_seconds", ["target": url], value) }
        }
        out.family("leakscope_poll_errors_total", "counter", "Failed polls of the target since the watcher started.")
        for url in order { if let state = states[url] { out.sample("leakscope_poll_errors_total", ["target": url], Double(state.pollErrors)) } }
        out.family("leakscope_rule_state", "gauge", "Where each rule stands for each target: 0 inactive, 1 pending, 2 firing.")
        for url in order {
            for rule in config.rules {
                let phase = ruleStates[Self.key(url, rule.name, rule.metric)]?.phase ?? .inactive
                let value: Double = phase == .firing ? 2 : phase == .pending ? 1 : 0
                out.sample("leakscope_rule_state", ["target": url, "rule": rule.name, "metric": rule.metric], value)
            }
        }
        out.family("leakscope_alerts_firing", "gauge", "Alerts firing now.")
        out.sample("leakscope_alerts_firing", [:], Double(firing.count))
        out.family("leakscope_polls_total", "counter", "Polls made since the watcher started.")
        out.sample("leakscope_polls_total", [:], Double(counters.polls))
        out.family("leakscope_alerts_fired_total", "counter", "Alerts fired since the watcher started.")
        out.sample("leakscope_alerts_fired_total", [:], Double(counters.alertsFired))
        out.family("leakscope_alerts_resolved_total", "counter", "Alerts resolved since the watcher started.")
        out.sample("leakscope_alerts_resolved_total", [:], Double(counters.alertsResolved))
        out.family("leakscope_captures_total", "counter", "Captures started since the watcher started.")
        out.sample("leakscope_captures_total", [:], Double(counters.capturesStarted))
        out.family("leakscope_capture_failures_total", "counter", "Captures that failed since the watcher started.")
        out.sample("leakscope_capture_failures_total", [:], Double(counters.capturesFailed))
        out.family("leakscope_notification_failures_total", "counter", "Alert deliveries that failed.")
        out.sample("leakscope_notification_failures_total", [:], Double(counters.notificationsFailed))
        return out.text
    }
}

/// Builds Prometheus text exposition 0.0.4: `# HELP`, `# TYPE`, then `name{label="value"} value` lines.
struct MetricsText {
    var text = ""

    mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.number(value) + "\n"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
