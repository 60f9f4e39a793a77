/// A plain CSV of per-request latencies: one row per request, the latency in the first column (or in
/// a column whose header contains `latency`/`response-time`), in seconds unless the header says `ms`
/// or `us`, or the value carries a unit (`12ms`). An optional `status` / `status-code` column counts
/// errors (outside 2xx/3xx). hey's `-o csv` is read this way.
enum LatencyCSV {
    static func parse(_ text: String, source: String) throws(GateInputError) -> LoadResult {
        var latencies: [Double] = []
        var errors = 0
        var latencyColumn = 0, statusColumn: Int?
        var scale = 1.0
        var firstOffset: Double?, lastOffset: Double?
        var offsetColumn: Int?
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.trimmingWhitespace()
            guard !line.isEmpty else { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            if latencies.isEmpty && lineNumber == 1 && Double(cells[0]) == nil && LoadDuration.seconds(cells[0][...]) == nil {
                // Header row.
                let lower = cells.map { $0.lowercased() }
                latencyColumn = lower.firstIndex(where: { $0.contains("latency") || $0.contains("response-time") }) ?? 0
                statusColumn = lower.firstIndex(where: { $0 == "status" || $0 == "status-code" || $0 == "code" })
                offsetColumn = lower.firstIndex(where: { $0 == "offset" })
                // The unit is a word of its own in the header (`latency_ms`, `latency (us)`), never
                // part of one (`response-time` holds "ns").
                let words = Set(lower[latencyColumn].split(whereSeparator: { !$0.isLetter }).map(String.init))
                scale = words.contains("ms") ? 1e-3 : words.contains("us") || words.contains("µs") ? 1e-6
                    : words.contains("ns") ? 1e-9 : 1
                continue
            }
            guard latencyColumn < cells.count else {
                throw GateInputError(source: source, line: lineNumber, "row has \(cells.count) columns, the latency is column \(latencyColumn + 1)")
            }
            let cell = cells[latencyColumn]
            guard let value = Double(cell).map({ $0 * scale }) ?? LoadDuration.seconds(cell[...]), value.isFinite, value >= 0 else {
                throw GateInputError(source: source, line: lineNumber, field: "latency", "`\(cell)` is not a duration")
            }
            latencies.append(value)
            if let statusColumn, statusColumn < cells.count, let code = Int(cells[statusColumn]), code < 200 || code >= 400 {
                errors += 1
            }
            if let offsetColumn, offsetColumn < cells.count, let offset = Double(cells[offsetColumn]) {
                firstOffset = min(firstOffset ?? offset, offset)
                lastOffset = max(lastOffset ?? offset, offset)
            }
        }
        guard !latencies.isEmpty else { throw GateInputError(source: source, "CSV has no latency rows") }
        var result = LoadResult(tool: "csv", source: source, requests: latencies.count, errors: errors)
        let sorted = latencies.sorted()
        for percent in [50.0, 75, 90, 95, 99, 99.9] {
            // Nearest rank, as hey and wrk report.
            let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1
            result.percentiles[percent] = sorted[min(max(rank, 0), sorted.count - 1)]
        }
        result.mean = latencies.reduce(0, +) / Double(latencies.count)
        result.max = sorted.last
        if let firstOffset, let lastOffset, lastOffset > firstOffset {
            result.throughput = Double(latencies.count) / (lastOffset - firstOffset + (sorted.last ?? 0))
        }
        return result
    }
}
