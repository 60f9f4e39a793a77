import Foundation
import Yams

/// A performance contract for load-test results: latency percentiles, error rate and throughput,
/// for every endpoint and per endpoint.
///
/// From a YAML file:
/// ```yaml
/// p99: 100ms            # every endpoint
/// error-rate: 0.1%
/// endpoints:
///   /items: { p50: 5ms, p95: 40ms, throughput: 500 }
/// ```
/// or from `x-perf-slo` extensions on the operations of an OpenAPI document (`paths./items.get.x-perf-slo:
/// {p95: 200ms, error-rate: 0.1%}`). Limit keys: `pNN` (a duration: `40ms`, `1.5s`, or a number of
/// milliseconds; also `pNN_ms`), `error-rate` (`0.1%` or a ratio `0.001`), `throughput` (minimum
/// requests per second; also `min_rps`).
public struct LoadContract: Sendable, Hashable {
    /// Limits one endpoint (or every endpoint) must meet.
    public struct Limits: Sendable, Hashable {
        /// Maximum latency per percentile, seconds.
        public var percentiles: [Double: Double] = [:]
        /// Largest share of failed requests, 0…1.
        public var maxErrorRate: Double?
        /// Fewest requests per second.
        public var minThroughput: Double?
        /// Where the limits were written (1-based line).
        public var line: Int

        public init(line: Int) { self.line = line }

        /// Whether no limit is set.
        public var isEmpty: Bool { percentiles.isEmpty && maxErrorRate == nil && minThroughput == nil }
    }

    /// Limits for every endpoint (and for results that name none); nil when the file sets none.
    public var defaults: Limits?
    /// Limits per endpoint (a URL path such as `/items`, or a k6 `name` tag), in file order.
    public var endpoints: [(endpoint: String, limits: Limits)] = []

    public init() {}

    public static func == (a: LoadContract, b: LoadContract) -> Bool {
        a.defaults == b.defaults && a.endpoints.map(\.endpoint) == b.endpoints.map(\.endpoint)
            && a.endpoints.map(\.limits) == b.endpoints.map(\.limits)
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(defaults)
        for entry in endpoints { hasher.combine(entry.endpoint); hasher.combine(entry.limits) }
    }

    /// The limits for `endpoint`: its own entry if there is one, else the defaults.
    public func limits(for endpoint: String?) -> Limits? {
        if let endpoint, let own = endpoints.first(where: { $0.endpoint == endpoint }) { return own.limits }
        return defaults
    }

    /// Parses a contract file (plain YAML or an OpenAPI document). Errors name the line and field.
    public static func parse(_ text: String, source: String) throws(GateInputError) -> LoadContract {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw GateInputError(source: source, "empty contract") }
            root = node
        } catch let error as GateInputError {
            throw error
        } catch let error as YamlError {
            throw GateInputError(source: source, line: yamlLine(error), "not valid YAML: \(yamlProblem(error))")
        } catch {
            throw GateInputError(source: source, "not valid YAML: \(error)")
        }
        guard let mapping = root.mapping else {
            throw GateInputError(source: source, line: line(root), "a contract is a mapping of limits (p99: 100ms, …)")
        }
        var contract = LoadContract()
        if mapping["openapi"] != nil || mapping["swagger"] != nil {
            try contract.readOpenAPI(mapping, source: source)
        } else {
            let defaults = try limits(mapping, path: "", source: source, ignoring: ["endpoints"])
            contract.defaults = defaults.isEmpty ? nil : defaults
            if let endpoints = mapping["endpoints"] {
                guard let entries = endpoints.mapping else {
                    throw GateInputError(source: source, line: line(endpoints), field: "endpoints",
                                         "expected a mapping of endpoint to limits")
                }
                for (key, value) in entries {
                    let name = key.string ?? ""
                    guard let inner = value.mapping else {
                        throw GateInputError(source: source, line: line(value), field: "endpoints.\(name)",
                                             "expected a mapping of limits")
                    }
                    contract.endpoints.append((name, try limits(inner, path: "endpoints.\(name).", source: source)))
                }
            }
        }
        guard contract.defaults != nil || !contract.endpoints.isEmpty else {
            throw GateInputError(source: source, line: line(root), "the contract sets no limits (p50…p99, error-rate, throughput)")
        }
        return contract
    }

    private mutating func readOpenAPI(_ document: Node.Mapping, source: String) throws(GateInputError) {
        guard let paths = document["paths"]?.mapping else {
            throw GateInputError(source: source, field: "paths", "OpenAPI document has no `paths` mapping")
        }
        for (pathKey, item) in paths {
            let path = pathKey.string ?? ""
            guard let operations = item.mapping else { continue }
            for (methodKey, operation) in operations {
                guard let slo = operation.mapping?["x-perf-slo"] else { continue }
                let method = (methodKey.string ?? "").uppercased()
                guard let sloMapping = slo.mapping else {
                    throw GateInputError(source: source, line: Self.line(slo), field: "paths.\(path).\(method.lowercased()).x-perf-slo",
                                         "expected a mapping of limits")
                }
                let limits = try Self.limits(sloMapping, path: "paths.\(path).\(method.lowercased()).x-perf-slo.", source: source)
                // A result names its path, not its method: the first operation with limits wins for
                // the path, and `METHOD /path` is accepted too.
                if !endpoints.contains(where: { $0.endpoint == path }) { endpoints.append((path, limits)) }
                endpoints.append(("\(method) \(path)", limits))
            }
        }
        if let slo = document["x-perf-slo"]?.mapping {
            defaults = try Self.limits(slo, path: "x-perf-slo.", source: source)
        }
    }

    private static func limits(_ mapping: Node.Mapping, path: String, source: String,
                               ignoring: Set<String> = []) throws(GateInputError) -> Limits {
        var limits = Limits(line: line(mapping))
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            if ignoring.contains(key) { continue }
            let field = path + key
            let text = value.string ?? ""
            let at = line(value)
            switch key.replacingOccurrences(of: "_", with: "-") {
            case "error-rate", "max-error-rate", "errors":
                guard let rate = ratio(text), (0...1).contains(rate) else {
                    throw GateInputError(source: source, line: at, field: field, "`\(text)` is not a rate (0.1% or 0.001)")
                }
                limits.maxErrorRate = rate
            case "throughput", "min-throughput", "min-rps", "rps":
                guard let rps = Double(text.replacingOccurrences(of: "/s", with: "")), rps >= 0, rps.isFinite else {
                    throw GateInputError(source: source, line: at, field: field, "`\(text)` is not a number of requests per second")
                }
                limits.minThroughput = rps
            default:
                guard key.hasPrefix("p"), let (percent, milliseconds) = percentileKey(key) else {
                    throw GateInputError(source: source, line: line(keyNode), field: field,
                                         "unknown limit (use p50…p99.9, error-rate, throughput)")
                }
                let seconds: Double?
                if milliseconds { seconds = Double(text).map { $0 / 1000 } } else {
                    seconds = LoadDuration.seconds(text[...]) ?? Double(text).map { $0 / 1000 }
                }
                guard let seconds, seconds.isFinite, seconds >= 0 else {
                    throw GateInputError(source: source, line: at, field: field, "`\(text)` is not a duration (40ms, 1.5s)")
                }
                limits.percentiles[percent] = seconds
            }
        }
        return limits
    }

    /// `p95` → (95, false); `p99.9` → (99.9, false); `p95_ms` → (95, true).
    static func percentileKey(_ key: String) -> (Double, Bool)? {
        var body = key.dropFirst()
        var milliseconds = false
        if body.hasSuffix("_ms") || body.hasSuffix("-ms") { body = body.dropLast(3); milliseconds = true }
        if body.hasPrefix("(") && body.hasSuffix(")") { body = body.dropFirst().dropLast() }
        guard let percent = Double(body), percent > 0, percent < 100 else { return nil }
        return (percent, milliseconds)
    }

    /// `0.1%` → 0.001; `0.001` → 0.001.
    static func ratio(_ text: String) -> Double? {
        if text.hasSuffix("%") { return Double(text.dropLast().trimmingWhitespace()).map { $0 / 100 } }
        return Double(text)
    }

    static func line(_ node: Node) -> Int? { node.mark.map { $0.line } }
    static func line(_ mapping: Node.Mapping) -> Int { mapping.first.flatMap { line($0.key) } ?? 1 }

    static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default: return nil
        }
    }

    static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            return problem
        default: return "\(error)"
        }
    }
}
