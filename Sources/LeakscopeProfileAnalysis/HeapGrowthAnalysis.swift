import Foundation
import LeakscopeProfile
import LeakscopeFindings
import LeakscopeStatistics
import LeakscopeFormat

/// Finds the allocation sites whose in-use memory keeps growing across heap snapshots.
///
/// Input: Go heap profiles (`alloc_objects, alloc_space, inuse_objects, inuse_space`), `allocs`
/// profiles (the same data), or legacy `debug=1` heap text (`inuse_*`, or `objects`/`space` when
/// the runtime wrote equal totals), oldest first. Only the in-use values are used: allocation
/// totals only ever grow and say nothing about leaks.
///
/// Each sample is charged to its first application frame (function, file, line), so growth in
/// `make`, `fmt.Sprintf` or `bytes.growSlice` lands on the code that asked for it. An object that
/// a `sync.Pool`'s `New` function made is charged to the code that called `Get` (the one keeping it).
/// Stacks with no application frame are charged to their first frame past the generic allocator
/// frames (`runtime.malg` for goroutine descriptors rather than `runtime.mallocgc`).
///
/// A finding needs *material* growth: at least `materialBytes` (1 MiB) over the window, or at
/// least `materialShare` (10 %) of the final heap and 256 KiB; and at least four sampling periods
/// (`samplingFloor`: 2 MiB at Go's default `MemProfileRate` of 512 KiB), because one sample more or
/// less moves a site by a whole period. Its score is
/// `100 × steadiness × (0.4 + 0.6 × magnitude)`, where steadiness comes from the trend shape
/// (`Trend.steadiness`) and magnitude (0…1) mixes size (log₂ of MiB grown, 63 MiB = 1), share of the
/// heap (50 % = 1) and, when times are known, the rate (log₂ of MiB/min, 63 MiB/min = 1).
/// Severity follows the score (`Finding.Severity.forScore`), capped: a one-off step is info (and
/// reported only from 1 MiB: Go samples one allocation per 512 KiB by default, so small sites move in
/// jumps); two snapshots (no trend) at most warning, and info below 4 MiB; growth under 2 MiB and under 10 % of the heap
/// ("tiny") is info. Fluctuating, flat or shrinking sites give no finding. When the whole heap grows materially but the warning-level site findings explain
/// less than half of it, one more finding reports growth spread over many sites (see `spreadFinding`).
public enum HeapGrowthAnalysis {
    public static let materialBytes: Double = 1_048_576
    public static let materialShare = 0.10
    /// Below this and below `materialShare` of the heap, growth is tiny: info at most.
    public static let tinyBytes: Double = 2_097_152
    /// Sites kept in the report (largest growth first).
    public static let siteLimit = 200
    /// Findings kept (highest score first).
    public static let findingLimit = 10

    public static func analyze(_ snapshots: [TimedProfile]) -> HeapGrowthReport {
        var collector = SiteCollector(snapshotCount: snapshots.count)
        var totals: [HeapSnapshotTotals] = []
        var notes: [String] = []
        for (index, snapshot) in snapshots.enumerated() {
            let profile = snapshot.profile
            let space = StackFrames.sampleTypeIndex(profile, ["inuse_space", "space"])
            let objects = StackFrames.sampleTypeIndex(profile, ["inuse_objects", "objects"])
            if space == nil {
                notes.append("\(snapshot.name): no inuse_space sample type (types: "
                             + profile.sampleTypes.map(\.type).joined(separator: ", ") + "); not a heap profile?")
            }
            let (bytes, count) = collector.add(profile, snapshot: index, space: space, objects: objects)
            totals.append(HeapSnapshotTotals(name: snapshot.name, time: snapshot.time, inuseBytes: bytes,
                                             inuseObjects: count))
        }
        let times = snapshots.map(\.time)
        var elapsed: Double?
        if let first = times.first ?? nil, let last = times.last ?? nil, last > first { elapsed = last - first }
        if snapshots.count < 2 {
            notes.append("\(snapshots.count) heap snapshot\(snapshots.count == 1 ? "" : "s"): growth needs at least 2 (3 for a trend)")
        } else if elapsed == nil {
            notes.append("snapshot times unknown or equal: growth is per snapshot, not per minute")
        } else if snapshots.count == 2 {
            notes.append("2 heap snapshots: growth can be seen but not whether it continues (take 3 or more)")
        }

        var sites = collector.sites(times: times, elapsed: elapsed)
        let siteCount = sites.count
        sites.sort { a, b in
            if a.deltaBytes != b.deltaBytes { return a.deltaBytes > b.deltaBytes }
            if a.inuseBytes.last != b.inuseBytes.last { return (a.inuseBytes.last ?? 0) > (b.inuseBytes.last ?? 0) }
            return a.location.short < b.location.short
        }
        let finalTotal = totals.last?.inuseBytes ?? 0
        let sources = snapshots.map(\.name)
        let floor = samplingFloor(snapshots)
        if floor > 4 {
            notes.append("sampled heap profiles: growth under \(Numbers.bytes(floor)) (four sampling periods) is not reported")
        }
        var findings: [Finding] = []
        for site in sites {
            if let finding = finding(for: site, finalTotal: finalTotal, snapshots: snapshots.count, sources: sources,
                                     floor: floor) {
                findings.append(finding)
            }
        }
        let totalTrend = Trend.classify(totals.map(\.inuseBytes), times: times)
        if let spread = spreadFinding(totals: totals, trend: totalTrend, sites: sites, findings: findings,
                                      elapsed: elapsed, sources: sources, floor: 2 * floor) {
            findings.append(spread)
        }
        findings = Array(Finding.ranked(findings).prefix(findingLimit))
        return HeapGrowthReport(snapshots: totals, sites: Array(sites.prefix(siteLimit)), siteCount: siteCount,
                                elapsedSeconds: elapsed, totalTrend: totalTrend, findings: findings, notes: notes)
    }

    /// Whether growth of `delta` bytes out of a final heap of `finalTotal` is worth a finding.
    /// `floor` is the sampling noise (see `samplingFloor`): growth below it may be one sample.
    public static func isMaterial(delta: Double, finalTotal: Double, floor: Double = 0) -> Bool {
        guard delta >= floor else { return false }
        return delta >= materialBytes || (delta >= 256 * 1024 && finalTotal > 0 && delta >= materialShare * finalTotal)
    }

    /// Heap profiles record one allocation per `MemProfileRate` bytes (512 KiB by default) and scale
    /// it up, so one sample more or less moves a site by about that much: growth under four sampling
    /// periods cannot be told from sampling noise.
    public static func samplingFloor(_ snapshots: [TimedProfile]) -> Double {
        let period = snapshots.map { snapshot -> Int64 in
            let profile = snapshot.profile
            guard profile.periodType?.type == "space" || profile.periodType == nil else { return 0 }
            return profile.period
        }.max() ?? 0
        return period > 0 && period < 1 << 40 ? 4 * Double(period) : 0
    }

    static func finding(for site: HeapSite, finalTotal: Double, snapshots: Int, sources: [String],
                        floor: Double = 0) -> Finding? {
        let delta = site.deltaBytes
        guard isMaterial(delta: delta, finalTotal: finalTotal, floor: floor) else { return nil }
        let trend = site.trend
        // A step matters only when it is big in absolute terms: with Go's default sampling (one sample per
        // 512 KiB) a small site's value moves in jumps of that size.
        guard trend.isGrowing || (trend.shape == .step && delta >= materialBytes) else { return nil }
        let mib = Double(1 << 20)
        let share = finalTotal > 0 ? delta / finalTotal : 0
        let size = clamp(log2(1 + delta / mib) / 6)
        var magnitude = max(size, clamp(share / 0.5))
        if let rate = site.bytesPerMinute, rate > 0 {
            magnitude = 0.7 * magnitude + 0.3 * clamp(log2(1 + rate / mib) / 6)
        }
        let score = Finding.score(100 * trend.steadiness * (0.4 + 0.6 * magnitude))
        var severity = Finding.Severity.forScore(score)
        let tiny = delta < tinyBytes && share < materialShare
        if trend.steadiness < 0.5 || tiny { severity = .info }
        // Two snapshots are weak evidence, and at Go's default sampling two jumps of 512 KiB are noise;
        // but one site multiplying (DetectionThresholds.heapTwoSnapshotGrowth) while it is a material
        // share of the heap is worth a warning that asks for the third snapshot.
        var concentrated = false
        if trend.shape == .grew {
            let first = site.inuseBytes.first ?? 0
            concentrated = delta >= mib && share >= 0.25
                && first * DetectionThresholds.standard.heapTwoSnapshotGrowth <= first + delta
            severity = delta >= 4 * mib || concentrated ? max(severity, .warning) : .info
        }

        let last = site.inuseBytes.last ?? 0
        let lastObjects = site.inuseObjects.last ?? 0
        let whereText = site.location.short
        var title: String
        switch trend.shape {
        case .step:
            title = "Heap stepped up once at \(whereText): \(Numbers.signedBytes(delta)) in one interval, then level; \(Numbers.bytes(last)) in use"
        default:
            let rate = site.bytesPerMinute.map { Numbers.signedBytes($0) + "/min" }
                ?? "\(Numbers.signedBytes(delta)) over \(snapshots) snapshots"
            title = "Heap grows at \(whereText): \(rate), \(Numbers.bytes(last)) in use"
        }
        if !site.isApplication { title += " (no application frame in the stack)" }

        let seriesText = site.inuseBytes.map { Numbers.bytes($0) }.joined(separator: " → ")
        var summary = "In-use memory allocated here went \(seriesText) over \(snapshots) snapshots ("
        switch trend.shape {
        case .steadyGrowth: summary += "steady growth: rose in \(risingIntervals(site.inuseBytes)) of \(snapshots - 1) intervals, Kendall tau \(twoDecimals(trend.tau)), R² \(twoDecimals(trend.rSquared))"
        case .noisyGrowth: summary += "growing under noise: Kendall tau \(twoDecimals(trend.tau)), R² \(twoDecimals(trend.rSquared))"
        case .grew: summary += "only two snapshots, so no trend test"
        case .step: summary += "one interval holds \(Numbers.percent(trend.largestStepShare)) of the rise: a one-off allocation that stays, not a leak by itself"
        default: summary += trend.shape.rawValue
        }
        summary += "); \(Numbers.percent(share)) of the final heap is this growth."
        if trend.shape == .grew {
            summary += concentrated
                ? " Growth concentrated in one site is a strong hint, but two snapshots are weak evidence: take a third snapshot to confirm."
                : " Two snapshots are weak evidence: take a third snapshot to confirm."
        }
        if let allocator = site.allocator { summary += " Allocated through \(allocator)." }

        var metrics = [Finding.Metric("inuse_space_bytes", last), Finding.Metric("inuse_objects", lastObjects),
                       Finding.Metric("delta_bytes", delta), Finding.Metric("delta_objects", site.deltaObjects),
                       Finding.Metric("share_of_heap", share), Finding.Metric("kendall_tau", trend.tau),
                       Finding.Metric("r_squared", trend.rSquared)]
        if let rate = site.bytesPerMinute { metrics.append(Finding.Metric("growth_bytes_per_minute", rate)) }
        let evidence = Finding.Evidence(summary: summary, metrics: metrics, series: site.inuseBytes,
                                        seriesUnit: "inuse_space bytes", perMinute: site.bytesPerMinute,
                                        stack: site.stack, sources: sources)
        let hint = trend.shape == .step
            ? "A one-off allocation that stays in use (a table, cache warm-up or buffer loaded once). Fine if expected; "
              + "if it repeats per deploy or per config reload, release the old copy."
            : HeapHints.hint(for: site)
        return Finding(kind: .heapGrowth, severity: severity, score: score, title: title,
                       location: site.isApplication ? site.location : nil, evidence: evidence, hint: hint)
    }

    /// The whole heap grows materially and steadily, but the site findings of warning level or above
    /// explain less than half of it: growth spread over many small sites (one structure filled from
    /// many places). Scored like a site at 0.8 weight, located at no single line; warning at most, and
    /// only for steady growth of ≥ 4 MiB or ≥ 25 % of the heap, else info.
    static func spreadFinding(totals: [HeapSnapshotTotals], trend: Trend, sites: [HeapSite], findings: [Finding],
                              elapsed: Double?, sources: [String], floor: Double = 0) -> Finding? {
        guard trend.isGrowing, let first = totals.first?.inuseBytes, let last = totals.last?.inuseBytes else { return nil }
        let delta = last - first
        guard isMaterial(delta: delta, finalTotal: last, floor: floor), delta > 0 else { return nil }
        let explained = findings.filter { $0.severity <= .warning }
            .reduce(0.0) { $0 + ($1.evidence.metrics.first { $0.name == "delta_bytes" }?.value ?? 0) }
        guard explained < 0.5 * delta else { return nil }
        let growing = sites.filter { $0.deltaBytes > 0 }.sorted { $0.deltaBytes > $1.deltaBytes }
        // Sites that together make 80 % of the growth.
        var covered = 0.0, contributors = 0
        for site in growing where covered < 0.8 * delta {
            covered += site.deltaBytes
            contributors += 1
        }
        let mib = 1_048_576.0
        var perMinute: Double?
        if let slope = trend.slopePerSecond, totals.count >= 3 { perMinute = slope * 60 }
        else if let elapsed, elapsed > 0 { perMinute = delta / elapsed * 60 }
        var magnitude = max(clamp(log2(1 + delta / mib) / 6), clamp(delta / last / 0.5))
        if let rate = perMinute, rate > 0 { magnitude = 0.7 * magnitude + 0.3 * clamp(log2(1 + rate / mib) / 6) }
        let score = Finding.score(80 * trend.steadiness * (0.4 + 0.6 * magnitude))
        // Warm-up (pools, caches filling) also grows a healthy heap a little from many places: only
        // steady growth of at least 4 MiB or a quarter of the heap is worth a warning.
        let strong = trend.shape == .steadyGrowth && (delta >= 4 * mib || delta >= 0.25 * last)
        let severity = strong ? max(Finding.Severity.forScore(score), .warning) : .info
        let rate = perMinute.map { Numbers.signedBytes($0) + "/min" }
            ?? "\(Numbers.signedBytes(delta)) over \(totals.count) snapshots"
        let top = growing.prefix(3).map { "\($0.location.short) \(Numbers.signedBytes($0.deltaBytes))" }
        let title = "Heap grows overall: \(rate), \(Numbers.bytes(last)) in use, spread over \(contributors) allocation sites"
        let summary = "In-use heap went " + totals.map { Numbers.bytes($0.inuseBytes) }.joined(separator: " → ")
            + " (\(trend.shape.rawValue), Kendall tau \(twoDecimals(trend.tau)), R² \(twoDecimals(trend.rSquared))); "
            + "no single site explains half of it: \(contributors) sites make 80% of the growth. Largest: "
            + top.joined(separator: ", ") + "."
        var metrics = [Finding.Metric("inuse_space_bytes", last), Finding.Metric("delta_bytes", delta),
                       Finding.Metric("sites", Double(contributors)), Finding.Metric("kendall_tau", trend.tau),
                       Finding.Metric("r_squared", trend.rSquared)]
        if let perMinute { metrics.append(Finding.Metric("growth_bytes_per_minute", perMinute)) }
        return Finding(
            kind: .heapGrowth, severity: severity, score: score, title: title, location: nil,
            evidence: Finding.Evidence(summary: summary, metrics: metrics, series: totals.map(\.inuseBytes),
                                       seriesUnit: "inuse_space bytes", perMinute: perMinute,
                                       stack: growing.first?.stack ?? [], sources: sources),
            hint: "Many call sites add to what stays in use: usually one long-lived structure (a global slice or map, a cache, "
                + "a registry of sessions or subscribers) that they all feed. Find what holds the largest sites' objects, then bound "
                + "it or remove entries when done; `leakscope pprof -base FIRST LAST -sample_index=inuse_space -top -cum` shows the common callers.")
    }

    static func clamp(_ x: Double) -> Double { x.isFinite ? min(1, max(0, x)) : 0 }

    static func risingIntervals(_ series: [Double]) -> Int {
        zip(series, series.dropFirst()).filter { $1 > $0 }.count
    }

    /// `0.82`, `1.00`.
    static func twoDecimals(_ x: Double) -> String {
        guard x.isFinite else { return "?" }
        let hundredths = Int((abs(x) * 100).rounded())
        let fraction = hundredths % 100
        return (x < 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
