import LeakscopeCollect

/// A target resolved from the config or a file_sd file: its URL as given (the `target` label), its
/// labels, where its pprof and metrics endpoints are, and how to talk to it.
public struct WatchTarget: Sendable, Equatable {
    public var url: String
    public var labels: [String: String]
    /// pprof endpoints and request settings (also used for captures).
    var capture: CaptureTarget
    /// `scheme://host:port/metrics`, or nil when the target has no Prometheus metrics to try.
    var metricsURL: String?

    public static func == (lhs: WatchTarget, rhs: WatchTarget) -> Bool {
        lhs.url == rhs.url && lhs.labels == rhs.labels && lhs.capture.baseURL == rhs.capture.baseURL
            && lhs.metricsURL == rhs.metricsURL
    }

    init(_ config: WatchConfig.Target, poll: WatchConfig.Poll, capture: WatchConfig.Capture) throws(ConfigError) {
        url = config.url
        labels = config.labels
        do {
            self.capture = try CaptureTarget(
                url: config.url, prefix: config.prefix,
                headers: config.headers.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) },
                verifyCertificates: !config.insecure, caFile: config.caFile,
                timeout: .milliseconds(Int64(capture.timeout * 1000)), retries: 1,
                goroutineCeiling: capture.goroutineCeiling)
        } catch {
            throw ConfigError(file: "targets", line: nil, field: config.url, error.message)
        }
        metricsURL = config.metricsPath.map { self.capture.origin + $0 }
    }
}
