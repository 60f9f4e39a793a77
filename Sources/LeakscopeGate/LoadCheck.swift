import LeakscopeFormat
import LeakscopeGateFormats

/// `gate load`: load-test results checked against a `LoadContract`.
///
/// Results for the same endpoint (several runs, several files) are combined first: each percentile
/// is the median over the runs (one slow run does not fail a contract, two of three do), requests and
/// errors are summed, and throughput is the median over the runs. A limit the results cannot answer
/// (wrk without `--latency` has no percentiles) is inconclusive, with the reason.
public struct LoadCheck: Sendable {
    /// One limit checked for one endpoint.
    public struct Check: Sendable, Hashable {
        public enum Outcome: String, Sendable, Hashable, Codable { case pass, fail, inconclusive }
        /// The endpoint (`/items`), or nil for results that name none.
        public var endpoint: String?
        /// `p99`, `error-rate` or `throughput`.
        public var metric: String
        /// The measured value (seconds, ratio or requests per second); nil when not measured.
        public var measured: Double?
        /// The limit, same unit.
        public var limit: Double
        public var outcome: Outcome
        /// How many runs the value combines.
        public var runs: Int
        /// Why a check is inconclusive.
        public var note: String?
        /// Contract line of the limit.
        public var line: Int

        /// The check as one line (`p99 12ms ≤ 50ms`), numbers through `Numbers`.
        public var text: String {
            let limitText = Self.format(limit, metric)
            guard let measured else { return "\(metric) (limit \(limitText)): \(note ?? "not measured")" }
            let relation = metric == "throughput" ? (outcome == .fail ? "<" : "≥") : (outcome == .fail ? ">" : "≤")
            return "\(metric) \(Self.format(measured, metric)) \(relation) \(limitText)"
        }

        static func format(_ value: Double, _ metric: String) -> String {
            switch metric {
            case "error-rate": return Numbers.percentage(value * 100)
            case "throughput": return Numbers.quantity(value) + " req/s"
            default: return value < 1 ? Numbers.decimal(value * 1000, places: value < 0.01 ? 2 : 1) + "ms"
                : Numbers.duration(seconds: value)
            }
        }
    }

    public var checks: [Check]
    public var sources: [String]

    public var verdict: GateVerdict {
        if checks.contains(where: { $0.outcome == .fail }) { return .fail }
        if checks.contains(where: { $0.outcome == .inconclusive }) { return .inconclusive }
        return .pass
    }

    /// Checks `results` against `contract`. Endpoints that the contract names but no result covers
    /// are inconclusive; results for endpoints without limits (and no defaults) are not checked.
    public init(results: [LoadResult], contract: LoadContract) {
        sources = Array(Set(results.map(\.source))).sorted()
        var byEndpoint: [String?: [LoadResult]] = [:]
        var order: [String?] = []
        for result in results {
            if byEndpoint[result.endpoint] == nil { order.append(result.endpoint) }
            byEndpoint[result.endpoint, default: []].append(result)
        }
        var checks: [Check] = []
        for endpoint in order {
            guard let runs = byEndpoint[endpoint], let limits = contract.limits(for: endpoint) else { continue }
            checks += Self.check(runs, endpoint: endpoint, limits: limits)
        }
        for (endpoint, limits) in contract.endpoints where byEndpoint[endpoint] == nil {
            // `GET /items` (from an OpenAPI document) is covered by, or reported with, its path `/items`.
            if let space = endpoint.firstIndex(of: " ") {
                let path = String(endpoint[endpoint.index(after: space)...])
                if byEndpoint[path] != nil || contract.endpoints.contains(where: { $0.endpoint == path }) { continue }
            }
            checks.append(Check(endpoint: endpoint, metric: "results", measured: nil, limit: 0, outcome: .inconclusive,
                                runs: 0, note: "no result for this endpoint", line: limits.line))
        }
        self.checks = checks
    }

    static func check(_ runs: [LoadResult], endpoint: String?, limits: LoadContract.Limits) -> [Check] {
        var checks: [Check] = []
        for (percent, limit) in limits.percentiles.sorted(by: { $0.key < $1.key }) {
            let name = "p" + (percent == percent.rounded() ? String(Int(percent)) : String(percent))
            let values = runs.compactMap { $0.percentiles[percent] }
            guard !values.isEmpty else {
                let have = Set(runs.flatMap { $0.percentiles.keys }).sorted().map { "p" + Numbers.quantity($0) }
                let tools = Set(runs.map(\.tool)).sorted().joined(separator: ", ")
                var note = "\(tools) reported " + (have.isEmpty ? "no percentiles" : have.joined(separator: ", "))
                if tools.contains("wrk") && have.isEmpty { note += " (run wrk with --latency)" }
                checks.append(Check(endpoint: endpoint, metric: name, measured: nil, limit: limit, outcome: .inconclusive,
                                    runs: runs.count, note: note, line: limits.line))
                continue
            }
            let value = median(values)
            checks.append(Check(endpoint: endpoint, metric: name, measured: value, limit: limit,
                                outcome: value <= limit ? .pass : .fail, runs: values.count, line: limits.line))
        }
        if let limit = limits.maxErrorRate {
            let counted = runs.filter { $0.requests != nil && $0.errors != nil }
            let requests = counted.reduce(0) { $0 + ($1.requests ?? 0) }
            let errors = counted.reduce(0) { $0 + ($1.errors ?? 0) }
            if requests > 0 {
                let rate = Double(errors) / Double(requests)
                checks.append(Check(endpoint: endpoint, metric: "error-rate", measured: rate, limit: limit,
                                    outcome: rate <= limit ? .pass : .fail, runs: counted.count, line: limits.line))
            } else {
                checks.append(Check(endpoint: endpoint, metric: "error-rate", measured: nil, limit: limit, outcome: .inconclusive,
                                    runs: runs.count, note: "no request counts in the results", line: limits.line))
            }
        }
        if let limit = limits.minThroughput {
            let values = runs.compactMap(\.throughput)
            if values.isEmpty {
                checks.append(Check(endpoint: endpoint, metric: "throughput", measured: nil, limit: limit, outcome: .inconclusive,
                                    runs: runs.count, note: "no throughput in the results", line: limits.line))
            } else {
                let value = median(values)
                checks.append(Check(endpoint: endpoint, metric: "throughput", measured: value, limit: limit,
                                    outcome: value >= limit ? .pass : .fail, runs: values.count, line: limits.line))
            }
        }
        return checks
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
