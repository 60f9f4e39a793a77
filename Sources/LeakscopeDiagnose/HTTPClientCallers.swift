import LeakscopeProfile
import LeakscopeGoSymbols
import LeakscopeGoroutineAnalysis
import LeakscopeFindings

/// Finds the application code that makes outbound HTTP requests, for findings whose goroutines
/// live inside `net/http`'s client (one reader and one writer goroutine per pooled connection,
/// created by the transport, so their own stacks never show who asked for the connection).
enum HTTPClientCallers {
    /// Functions through which application code enters the HTTP client.
    static func isClientEntry(_ function: String) -> Bool {
        function.hasPrefix("net/http.(*Client).") || function == "net/http.Get" || function == "net/http.Post"
            || function == "net/http.Head" || function == "net/http.PostForm"
    }

    /// The application frame just outside the HTTP client, weighted by how often stacks show it:
    /// the latest dump's goroutine buckets, CPU samples and heap/allocs allocations. Nil when no
    /// stack shows one.
    static func find(in buckets: [AnalyzedBucket], profiles input: DiagnosisInput) -> SourceSite? {
        var weights: [SourceSite: Double] = [:]
        var order: [SourceSite] = []
        func note(_ site: SourceSite, _ weight: Double) {
            if weights[site] == nil { order.append(site) }
            weights[site, default: 0] += weight
        }
        for bucket in buckets {
            if let site = caller(in: bucket.stack.map { ($0.function, $0.file, $0.line) }) { note(site, Double(bucket.count)) }
        }
        for timed in input.cpuProfiles + input.heapProfiles.suffix(1) + input.allocsProfiles.suffix(1) {
            let profile = timed.profile
            for sample in profile.samples {
                var frames: [(String, String, Int)] = []
                for index in sample.locations where profile.locations.indices.contains(index) {
                    for line in profile.locations[index].lines {
                        guard let f = line.function, profile.functions.indices.contains(f) else { continue }
                        frames.append((profile.functions[f].name, profile.functions[f].filename, Int(line.line)))
                    }
                }
                if let site = caller(in: frames) { note(site, 1) }
            }
        }
        return order.max { (weights[$0] ?? 0) < (weights[$1] ?? 0) }
    }

    /// In a stack (innermost first), the first application frame outside an HTTP client entry.
    static func caller(in frames: [(function: String, file: String, line: Int)]) -> SourceSite? {
        guard let entry = frames.firstIndex(where: { isClientEntry($0.function) }) else { return nil }
        for frame in frames[(entry + 1)...] where ApplicationCode.isApplication(frame.function) {
            return SourceSite(function: frame.function, file: frame.file, line: frame.line)
        }
        return nil
    }
}
