import Foundation

/// One load-test run as a gate sees it, whichever tool produced it. Durations are seconds.
public struct LoadResult: Sendable, Hashable {
    /// The tool's name (`wrk`, `hey`, `vegeta`, `k6`, `csv`).
    public var tool: String
    /// The file it was read from.
    public var source: String
    /// The endpoint the run hit (the URL's path, or a k6 sub-metric's `name` tag); nil when unknown.
    public var endpoint: String?
    /// Requests completed (answered or failed).
    public var requests: Int?
    /// Requests that failed: transport errors plus responses outside 2xx/3xx.
    public var errors: Int?
    /// Requests per second over the run.
    public var throughput: Double?
    /// Latency percentiles the tool reported, keyed by percent (50, 90, 95, 99…), in seconds.
    public var percentiles: [Double: Double]
    /// Mean and maximum latency, when reported.
    public var mean: Double?
    public var max: Double?

    public init(tool: String, source: String, endpoint: String? = nil, requests: Int? = nil, errors: Int? = nil,
                throughput: Double? = nil, percentiles: [Double: Double] = [:], mean: Double? = nil, max: Double? = nil) {
        self.tool = tool
        self.source = source
        self.endpoint = endpoint
        self.requests = requests
        self.errors = errors
        self.throughput = throughput
        self.percentiles = percentiles
        self.mean = mean
        self.max = max
    }

    /// errors / requests, when both are known and requests > 0.
    public var errorRate: Double? {
        guard let requests, let errors, requests > 0 else { return nil }
        return Double(errors) / Double(requests)
    }

    /// Reads any supported result, recognising the tool from the content: JSON from vegeta
    /// (`latencies`) or k6 (`metrics`), wrk's and hey's text reports, or a CSV with one latency
    /// per row.
    public static func parse(_ text: String, source: String) throws(GateInputError) -> [LoadResult] {
        let trimmed = text.drop(while: { $0.isWhitespace })
        if trimmed.hasPrefix("{") { return try LoadJSON.parse(text, source: source) }
        if text.contains("Thread Stats") && text.contains("Requests/sec:") { return [try WrkOutput.parse(text, source: source)] }
        if text.contains("Summary:") && text.contains("Requests/sec:") { return [try HeyOutput.parse(text, source: source)] }
        if let first = trimmed.split(separator: "\n").first, first.contains(",") || Double(first.trimmingWhitespace()) != nil
            || first.lowercased().contains("latency") {
            return [try LatencyCSV.parse(text, source: source)]
        }
        throw GateInputError(source: source, line: 1,
                             "not a load-test result (expected wrk or hey text, vegeta or k6 JSON, or a latency CSV)")
    }

    /// The path of a URL (`http://127.0.0.1:8080/items?x=1` → `/items`), or the text itself.
    static func endpoint(ofURL url: Substring) -> String {
        guard let scheme = url.range(of: "://") else { return String(url) }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        let path = rest[slash...]
        return String(path.prefix(while: { $0 != "?" && $0 != "#" }))
    }
}

/// Durations as load tools print them: `635.91us`, `0.89ms`, `1.20s`, `2.00m`, `1h`, `0.0012 secs`.
enum LoadDuration {
    static func seconds(_ text: Substring) -> Double? {
        let units: [(String, Double)] = [("secs", 1), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("ms", 1e-3),
                                         ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count).trimmingWhitespace()), value.isFinite, value >= 0 else {
                return nil
            }
            return value * scale
        }
        return nil
    }

    /// wrk's metric suffixes: `56.20k` → 56,200; `1.2M`.
    static func scaled(_ text: Substring) -> Double? {
        let scales: [Character: Double] = ["k": 1e3, "M": 1e6, "G": 1e9]
        if let last = text.last, let scale = scales[last] { return Double(text.dropLast()).map { $0 * scale } }
        return Double(text)
    }
}
