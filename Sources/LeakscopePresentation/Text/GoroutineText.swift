import LeakscopeFormat
import LeakscopeGoroutineAnalysis

/// The plain-text summary `leakscope goroutines` prints. Pure: analysis in, text out.
public enum GoroutineText {
    /// - Parameter top: how many buckets to list after the suspects.
    public static func render(_ a: GoroutineAnalysis, top: Int = 20) -> String {
        var out = ""
        if a.dumps.count > 1 {
            let start = a.dumps.first?.time
            let parts = a.dumps.map { d -> String in
                var s = "\(d.name) (\(Numbers.count(d.goroutines))"
                if let t = d.time, let start { s += ", +\(seconds(t - start))" }
                return s + ")"
            }
            out += "\(a.dumps.count) dumps, oldest first: " + parts.joined(separator: " → ") + "\n"
        }
        out += "\(Numbers.count(a.goroutines)) goroutine\(a.goroutines == 1 ? "" : "s")"
        if a.labelled > 0 { out += ", \(Numbers.count(a.labelled)) labelled" }
        out += " in \(Numbers.count(a.buckets.count)) bucket\(a.buckets.count == 1 ? "" : "s")"
        if let c = a.change {
            out += "; since the previous dump: \(Numbers.count(c.new)) new, \(Numbers.count(c.gone)) gone, \(Numbers.count(c.persisted)) still there"
        }
        out += "\n"
        // Count and proto profiles record no state and no wait: no columns for what is not there.
        let hasStates = Self.hasStates(a)
        if hasStates { out += "by state: " + a.byState.map { "\(Numbers.count($0.count)) \(stateText($0.state))" }.joined(separator: ", ") + "\n" }

        let suspects = a.suspects
        out += "\n"
        if suspects.isEmpty {
            out += "No leak suspects."
            if a.dumps.count == 1 { out += " (One dump shows no growth: take two or more, minutes apart, for that evidence.)" }
            out += "\n"
        } else {
            out += "Suspects (\(suspects.count)):\n"
            for bucket in suspects {
                guard let s = bucket.suspect else { continue }
                out += "#\(s.rank)  score \(s.score)  \(Numbers.count(bucket.count))"
                out += hasStates ? " × \(stateText(bucket.state)) [\(bucket.kind.phrase)]" : " [\(bucket.kind.phrase)]"
                out += "  at \(bucket.blockingSite?.short ?? "?")\n"
                if let creator = bucket.createdBy { out += "    created by \(creator.short)\n" }
                if let g = bucket.growth { out += "    growth: \(growthText(g))\n" }
                out += "    why: \(s.reason)\n"
                if let remedy = s.remedy { out += "    fix: \(remedy)\n" }
                if let labels = bucket.labelSets.first { out += "    labels: \(labelText(labels))\n" }
            }
        }

        let sites = a.blockingSites
        if sites.contains(where: { $0.buckets > 1 }) {
            // Many stacks can end at one line of code: the roll-up names the lines.
            out += "\nTop blocking sites (\(min(top, sites.count)) of \(sites.count)):\n"
            var rows = [["count", "buckets", "blocking site"]]
            for site in sites.prefix(top) { rows.append([Numbers.count(site.count), Numbers.count(site.buckets), site.site?.short ?? "?"]) }
            out += table(rows)
        }

        let rest = a.buckets.filter { $0.suspect == nil }
        guard !rest.isEmpty else { return out }
        out += "\nTop buckets (\(min(top, rest.count)) of \(rest.count)):\n"
        var rows: [[String]] = [hasStates ? ["count", "state", "wait min/med/max"] : ["count"]]
        // A rate needs the times the dumps were taken; without them there is no column for it.
        let rates = rest.contains { $0.growth?.perMinute != nil }
        if a.dumps.count > 1 { rows[0] += rates ? ["growth", "per min", "kept"] : ["growth", "kept"] }
        rows[0] += ["blocking site", "created by", "note"]
        for bucket in rest.prefix(top) {
            let w = bucket.waitMinutes
            var row = hasStates ? [Numbers.count(bucket.count), stateText(bucket.state), "\(w.min)/\(w.median)/\(w.max)"]
                : [Numbers.count(bucket.count)]
            if a.dumps.count > 1 {
                let g = bucket.growth
                row.append(g.map { signed($0.delta) } ?? "")
                if rates { row.append(g?.perMinute.map { SuspectScoring.rateText($0) } ?? "") }
                row.append(g.map { $0.persistence == nil ? "-" : String($0.persisted) } ?? "")
            }
            row += [bucket.blockingSite?.short ?? "?", bucket.createdBy?.short ?? "-",
                    bucket.healthyShape.map { "healthy: \($0.name)" } ?? ""]
            rows.append(row)
        }
        out += table(rows)
        if rest.count > top { out += "… \(rest.count - top) more buckets (use --top, --format json or --html)\n" }
        return out
    }

    static func growthText(_ g: BucketGrowth) -> String {
        var s = g.counts.map(Numbers.count).joined(separator: " → ") + " (\(signed(g.delta))"
        if let rate = g.perMinute { s += ", \(SuspectScoring.rateText(rate))/min" }
        s += ")"
        if g.persistence != nil { s += "; \(Numbers.count(g.persisted)) kept from the previous dump, \(Numbers.count(g.new)) new" }
        return s
    }

    static func labelText(_ set: LabelSetCount) -> String {
        "{" + set.labels.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "} × \(Numbers.count(set.count))"
    }

    /// Whether the dumps record goroutine states (and so waits): tracebacks do, count and proto
    /// profiles do not.
    public static func hasStates(_ a: GoroutineAnalysis) -> Bool { a.byState.contains { !$0.state.isEmpty } }

    /// Count and proto profiles print no state.
    static func stateText(_ state: String) -> String { state.isEmpty ? "(no state)" : state }

    static func signed(_ n: Int) -> String { n > 0 ? "+" + Numbers.count(n) : Numbers.count(n) }

    static func seconds(_ s: Double) -> String { Numbers.duration(seconds: s) }

    /// Left-aligned columns; the last column is not padded.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < columns - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            while line.last == " " { line.removeLast() }
            out += "  " + line + "\n"
        }
        return out
    }
}
