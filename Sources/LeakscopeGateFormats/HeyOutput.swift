/// hey's default text report (`requester/print.go`): `Summary:` (Total, Slowest, Fastest, Average in
/// seconds, `Requests/sec`), `Latency distribution:` (`10% in 0.0012 secs` … 99 %),
/// `Status code distribution:` (`[200]\t1000 responses`) and `Error distribution:` (`[12]\tGet …`).
enum HeyOutput {
    static func parse(_ text: String, source: String) throws(GateInputError) -> LoadResult {
        var result = LoadResult(tool: "hey", source: source)
        var section = ""
        var responses = 0, badStatus = 0, transportErrors = 0
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.trimmingWhitespace()
            if line.hasSuffix(":") && !line.hasPrefix("[") { section = line; continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.isEmpty else { continue }
            switch section {
            case "Summary:":
                if fields[0] == "Requests/sec:", fields.count >= 2 {
                    guard let rate = Double(fields[1]) else {
                        throw GateInputError(source: source, line: lineNumber, field: "Requests/sec", "`\(fields[1])` is not a number")
                    }
                    result.throughput = rate
                } else if fields[0] == "Average:", fields.count >= 2 {
                    result.mean = Double(fields[1])
                } else if fields[0] == "Slowest:", fields.count >= 2 {
                    result.max = Double(fields[1])
                }
            case "Latency distribution:":
                // `99% in 0.0042 secs`
                if fields.count >= 3, fields[0].hasSuffix("%"), let percent = Double(fields[0].dropLast()) {
                    guard let value = Double(fields[2]) else {
                        throw GateInputError(source: source, line: lineNumber, field: "\(fields[0]) latency",
                                             "`\(fields[2])` is not a number of seconds")
                    }
                    result.percentiles[percent] = value
                }
            case "Status code distribution:":
                if fields.count >= 2, fields[0].hasPrefix("["), let code = Int(fields[0].dropFirst().dropLast()),
                   let n = Int(fields[1]) {
                    responses += n
                    if code >= 400 || code < 200 { badStatus += n }
                }
            case "Error distribution:":
                if fields[0].hasPrefix("["), let n = Int(fields[0].dropFirst().dropLast()) { transportErrors += n }
            default: break
            }
        }
        guard result.throughput != nil else {
            throw GateInputError(source: source, "hey report without a `Requests/sec:` line in its Summary")
        }
        result.requests = responses + transportErrors
        result.errors = badStatus + transportErrors
        return result
    }
}
