/// wrk's text report (`src/wrk.c`): the target URL, `Latency` thread stats, the optional
/// `Latency Distribution` (50/75/90/99 % with `--latency`), `N requests in Xs, Y read`,
/// `Socket errors: connect a, read b, write c, timeout d`, `Non-2xx or 3xx responses: n`, `Requests/sec:`.
enum WrkOutput {
    static func parse(_ text: String, source: String) throws(GateInputError) -> LoadResult {
        var result = LoadResult(tool: "wrk", source: source)
        var inDistribution = false
        var socketErrors = 0, statusErrors = 0
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.trimmingWhitespace()
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            if line.hasPrefix("Running "), let at = fields.firstIndex(of: "@"), at + 1 < fields.count {
                result.endpoint = LoadResult.endpoint(ofURL: fields[at + 1])
            } else if line.hasPrefix("Latency Distribution") {
                inDistribution = true
            } else if inDistribution, fields.count == 2, fields[0].hasSuffix("%"),
                      let percent = Double(fields[0].dropLast()) {
                guard let value = LoadDuration.seconds(fields[1]) else {
                    throw GateInputError(source: source, line: lineNumber, field: "\(fields[0]) latency",
                                         "`\(fields[1])` is not a duration")
                }
                result.percentiles[percent] = value
            } else if line.hasPrefix("Latency "), fields.count >= 4 {
                inDistribution = false
                result.mean = LoadDuration.seconds(fields[1])
                result.max = LoadDuration.seconds(fields[3])
            } else if fields.count >= 4, fields[1] == "requests", fields[2] == "in" {
                inDistribution = false
                guard let count = Int(fields[0]) else {
                    throw GateInputError(source: source, line: lineNumber, field: "requests", "`\(fields[0])` is not a count")
                }
                result.requests = count
            } else if line.hasPrefix("Socket errors:") {
                // connect a, read b, write c, timeout d
                for (i, field) in fields.enumerated() where ["connect", "read", "write", "timeout"].contains(field) {
                    if i + 1 < fields.count, let n = Int(fields[i + 1]) { socketErrors += n }
                }
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let n = fields.last.flatMap({ Int($0) }) {
                statusErrors = n
            } else if line.hasPrefix("Requests/sec:"), let last = fields.last {
                guard let rate = Double(last) else {
                    throw GateInputError(source: source, line: lineNumber, field: "Requests/sec", "`\(last)` is not a number")
                }
                result.throughput = rate
            } else if !line.hasPrefix("Latency"), !fields.isEmpty, !fields[0].hasSuffix("%") {
                inDistribution = false
            }
        }
        guard result.requests != nil, result.throughput != nil else {
            throw GateInputError(source: source, "wrk report without `N requests in` and `Requests/sec:` lines")
        }
        result.errors = socketErrors + statusErrors
        return result
    }
}
