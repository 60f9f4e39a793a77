import Foundation

/// JSON load-test reports: vegeta's `report -type=json` (durations in nanoseconds) and k6's
/// `--summary-export` file (durations in milliseconds; rate metrics carry `value`).
enum LoadJSON {
    static func parse(_ text: String, source: String) throws(GateInputError) -> [LoadResult] {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw GateInputError(source: source, "JSON report is not an object")
            }
            object = parsed
        } catch let error as GateInputError {
            throw error
        } catch {
            throw GateInputError(source: source, "not valid JSON: \(error.localizedDescription)")
        }
        if let latencies = object["latencies"] as? [String: Any] { return [try vegeta(object, latencies, source)] }
        if let metrics = object["metrics"] as? [String: Any] { return try k6(metrics, source) }
        throw GateInputError(source: source, "JSON report is neither vegeta's (`latencies`) nor k6's summary export (`metrics`)")
    }

    private static func vegeta(_ object: [String: Any], _ latencies: [String: Any], _ source: String) throws(GateInputError) -> LoadResult {
        var result = LoadResult(tool: "vegeta", source: source)
        for (key, percent) in [("50th", 50.0), ("90th", 90), ("95th", 95), ("99th", 99)] {
            if let ns = number(latencies[key]) { result.percentiles[percent] = ns / 1e9 }
        }
        result.mean = number(latencies["mean"]).map { $0 / 1e9 }
        result.max = number(latencies["max"]).map { $0 / 1e9 }
        guard let requests = number(object["requests"]) else {
            throw GateInputError(source: source, field: "requests", "missing from the vegeta report")
        }
        result.requests = Int(requests)
        if let success = number(object["success"]) {
            guard (0...1).contains(success) else {
                throw GateInputError(source: source, field: "success", "must be a ratio in 0…1, got \(success)")
            }
            result.errors = Int((requests * (1 - success)).rounded())
        }
        result.throughput = number(object["throughput"]) ?? number(object["rate"])
        return result
    }

    private static func k6(_ metrics: [String: Any], _ source: String) throws(GateInputError) -> [LoadResult] {
        // One result per `http_req_duration` metric: the plain one, and tagged sub-metrics
        // `http_req_duration{name:GET /items}` as separate endpoints.
        var results: [LoadResult] = []
        let requests = (metrics["http_reqs"] as? [String: Any]).flatMap { number($0["count"]) }
        let rate = (metrics["http_reqs"] as? [String: Any]).flatMap { number($0["rate"]) }
        let failed = (metrics["http_req_failed"] as? [String: Any]).flatMap { number($0["value"]) ?? number($0["rate"]) }
        for (name, value) in metrics.sorted(by: { $0.key < $1.key }) where name.hasPrefix("http_req_duration") {
            guard let trend = value as? [String: Any] else {
                throw GateInputError(source: source, field: "metrics.\(name)", "not an object")
            }
            var result = LoadResult(tool: "k6", source: source)
            if let open = name.firstIndex(of: "{"), name.hasSuffix("}") {
                let tags = name[name.index(after: open)..<name.index(before: name.endIndex)]
                result.endpoint = tags.split(separator: ",").first(where: { $0.hasPrefix("name:") }).map { String($0.dropFirst(5)) }
                    ?? String(tags)
            } else {
                result.requests = requests.map { Int($0) }
                result.throughput = rate
                if let requests, let failed { result.errors = Int((requests * failed).rounded()) }
            }
            for (key, entry) in trend {
                guard let ms = number(entry) else { continue }
                switch key {
                case "med": result.percentiles[50] = ms / 1000
                case "avg": result.mean = ms / 1000
                case "max": result.max = ms / 1000
                default:
                    if key.hasPrefix("p("), key.hasSuffix(")"), let percent = Double(key.dropFirst(2).dropLast()) {
                        result.percentiles[percent] = ms / 1000
                    }
                }
            }
            results.append(result)
        }
        guard !results.isEmpty else {
            throw GateInputError(source: source, field: "metrics.http_req_duration", "missing from the k6 summary")
        }
        return results
    }

    private static func number(_ any: Any?) -> Double? {
        guard let number = any as? NSNumber, !(any is Bool) else { return nil }
        let value = number.doubleValue
        return value.isFinite ? value : nil
    }
}
