import LeakscopeFindings
import LeakscopeFormat
import LeakscopeGoSymbols
import LeakscopeGoroutineAnalysis

/// Turns the goroutine engine's suspects into findings: one per goroutine kind (the application
/// function responsible and the site that started it), however many stacks and lines it blocks at.
public enum GoroutineFindings {
    /// Findings from an analysis of one or more dumps; `leakProfileSeen` says whether a
    /// goroutineleak profile was part of the evidence (so its silence can be explained).
    /// `httpClientCaller` names the application code making HTTP requests, asked for only when
    /// client connection goroutines pile up (their own stacks never show who made them).
    public static func findings(_ analysis: GoroutineAnalysis, leakProfileSeen: Bool = false,
                                httpClientCaller: () -> SourceSite? = { nil }) -> [Finding] {
        // Group suspects by goroutine kind.
        var order: [GroupKey] = []
        var groups: [GroupKey: [AnalyzedBucket]] = [:]
        for bucket in analysis.suspects {
            let key = GroupKey(bucket)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(bucket)
        }
        let sources = analysis.dumps.map(\.name)
        return order.compactMap { key in
            guard let buckets = groups[key], let lead = buckets.first, let suspect = lead.suspect else { return nil }
            return finding(for: buckets, lead: lead, suspect: suspect, leakProfileSeen: leakProfileSeen, sources: sources,
                           httpClientCaller: httpClientCaller)
        }
    }

    /// What makes suspects one finding.
    enum GroupKey: Hashable {
        /// Goroutines parked in library code (an HTTP client's reader and writer per connection)
        /// are one problem when they share a known shape.
        case libraryShape(String)
        /// One goroutine kind: `AnalyzedBucket.kindKey`.
        case kind(String)

        init(_ bucket: AnalyzedBucket) {
            let inLibrary = bucket.blockingSite.map { !ApplicationCode.isApplication($0.function) } ?? true
            if inLibrary, bucket.responsible == nil, let shape = bucket.healthyShape {
                self = .libraryShape(shape.name)
            } else {
                self = .kind(bucket.kindKey)
            }
        }
    }

    static func finding(for buckets: [AnalyzedBucket], lead: AnalyzedBucket, suspect: Suspect,
                        leakProfileSeen: Bool, sources: [String], httpClientCaller: () -> SourceSite?) -> Finding {
        let count = buckets.reduce(0) { $0 &+ $1.count }
        let leaked = buckets.reduce(0) { $0 &+ $1.leaked }
        // Counts per dump summed over the group's buckets.
        var series: [Double]? = nil
        var perMinute: Double? = nil
        if let first = lead.growth {
            var sums = [Double](repeating: 0, count: first.counts.count)
            var rate = 0.0
            var rateKnown = true
            for bucket in buckets {
                guard let g = bucket.growth, g.counts.count == sums.count else { continue }
                for (i, c) in g.counts.enumerated() { sums[i] += Double(c) }
                if let r = g.perMinute { rate += r } else { rateKnown = false }
            }
            series = sums
            perMinute = rateKnown ? rate : nil
        }
        var site = lead.blockingSite
        var clientCallerFound = false
        var title: String
        if let shape = lead.healthyShape, site.map({ !ApplicationCode.isApplication($0.function) }) ?? true {
            // Library goroutines: name the shape and where they park; the application line is
            // whoever makes these (the evidence's creator), not the library.
            let places = Set(buckets.compactMap { $0.blockingSite?.function }).sorted().joined(separator: ", ")
            title = "\(shape.name.prefix(1).uppercased() + shape.name.dropFirst())s pile up: \(Numbers.count(count)) goroutines in \(places.isEmpty ? "library code" : places)"
            let bodyWaits = buckets.filter { $0.function?.function == "net/http.(*persistConn).readLoop" && $0.kind != .ioWait }
            if !bodyWaits.isEmpty {
                // One reader goroutine per connection.
                let connections = bodyWaits.reduce(0) { $0 &+ $1.count }
                let goroutines = count == connections ? "" : " (\(Numbers.count(count)) goroutines)"
                title = "HTTP response bodies are never closed: \(Numbers.count(connections)) client connections\(goroutines) wait in \(places)"
            }
            site = buckets.lazy.compactMap { $0.createdBy }.first { ApplicationCode.isApplication($0.function) }
            if site == nil && shape.name == HealthyShapes.httpClientConnection {
                site = httpClientCaller()
                clientCallerFound = site != nil
            }
        } else {
            site = lead.responsible ?? lead.blockingSite
            let place = site.map { "\($0.function) (\(SourceSite.shortFile($0.file)):\($0.line))" } ?? "an unidentified stack"
            title = "Goroutines leak in \(place): \(Numbers.count(count)) blocked"
            let phrases = Set(buckets.map(\.kind.phrase)).subtracting(["unknown", "other"]).sorted()
            if !phrases.isEmpty { title += " on \(phrases.joined(separator: " or "))" }
        }
        if let perMinute, perMinute > 0 {
            title += ", \(Numbers.signed(perMinute))/min"
        } else if let series, let a = series.first, let b = series.last, b > a {
            title += ", +\(Numbers.count(Int(b - a))) since the first snapshot"
        }
        var summary = suspect.reason + "."
        summary += blockingLines(buckets, responsible: site)
        if leakProfileSeen && !summary.contains("goroutineleak") {
            summary += leaked > 0
                ? " Go's goroutineleak profile confirms \(Numbers.count(leaked)) of them as leaked."
                : " Go's goroutineleak profile does not list them: what they wait on is still reachable (a global, a live struct), which only growth reveals."
        }
        var metrics = [Finding.Metric("goroutines", Double(count)), Finding.Metric("score", Double(suspect.score))]
        if leaked > 0 { metrics.append(Finding.Metric("leaked", Double(leaked))) }
        if lead.waitMinutes.max > 0 { metrics.append(Finding.Metric("wait_minutes_max", Double(lead.waitMinutes.max))) }
        if let created = lead.createdBy { summary += " Created by \(created.short)." }
        if clientCallerFound, let site { summary += " The application's outbound HTTP requests are made in \(site.short)." }
        let hint = suspect.remedy ?? "Find what this goroutine waits for and make sure it always ends: give it a ctx.Done() case or close what it reads from."
        // Critical when the evidence is growth that never releases, or the runtime's own detector.
        var severity = Finding.Severity.forScore(suspect.score)
        if severity == .info { severity = .warning }
        return Finding(kind: .goroutineLeak, severity: severity, score: suspect.score, title: title, location: site,
                       evidence: Finding.Evidence(summary: summary, metrics: metrics, series: series,
                                                  seriesUnit: series == nil ? nil : "goroutines", perMinute: perMinute,
                                                  stack: lead.stack.prefix(16).map(\.short), sources: sources),
                       hint: hint)
    }

    /// Every line the kind blocks at, with the helper it blocks in when that is not the
    /// responsible function itself, e.g. " Blocks at 2 lines: main.f.func1 (main.go:12), … ".
    static func blockingLines(_ buckets: [AnalyzedBucket], responsible: SourceSite?) -> String {
        var lines: [SourceSite] = []
        for bucket in buckets {
            if let site = bucket.blockingSite, !lines.contains(site) { lines.append(site) }
        }
        guard let responsible, !lines.isEmpty else { return "" }
        var own = ""
        if let function = buckets.first?.function, function.function != responsible.function,
           ApplicationCode.isApplication(function.function) {
            own = " The goroutines run \(function.function); \(responsible.function) takes the lock they wait for."
        }
        if lines.count == 1 {
            let line = lines[0]
            if line.function == responsible.function { return own }
            return " Blocks in \(line.short), a helper called by \(responsible.function) (the responsible function)." + own
        }
        let listed = lines.prefix(8).map(\.short).joined(separator: ", ")
        return " One kind of goroutine, blocked at \(Numbers.count(lines.count)) lines: \(listed)\(lines.count > 8 ? ", …" : "")." + own
    }
}
