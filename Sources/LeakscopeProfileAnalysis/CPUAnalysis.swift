import LeakscopeFindings
import LeakscopeGoSymbols
import LeakscopeProfile
import LeakscopeFormat

/// Finds the application functions that burn CPU, and how much goes to GC and allocation.
///
/// Each sample is charged once to its first application frame ("attributed self"), so time in
/// `regexp.Compile` called from `main.validate` counts for `main.validate`; cumulative shares count a
/// sample once per distinct application function anywhere in its stack.
///
/// Findings:
/// - `.cpuHotspot` for an application function with an attributed share ≥ `hotspotShare` (15 %).
///   Score = `100 × min(1, share / 0.5) × busy × weight`, where busy = `min(1, 0.3 + 0.7 × cores / 0.5)`
///   for the cores that function uses (share × cores used; 0.7 when the duration is unknown) and weight
///   is 0.5 for password hashing (slow by design), else 1.
/// - `.gcPressure` when GC + malloc take ≥ `gcPressureShare` (25 %) of the CPU, located at the application
///   function whose allocations cost most CPU. Score = `85 × min(1, share / 0.5) × busy`.
/// Severity follows the score, capped at info when the profile has < `minimumSamples` (50) samples
/// (shares are noise). A process that used < `idleCores` (0.1) cores on average has no CPU problem:
/// no findings at all.
public enum CPUAnalysis {
    public static let hotspotShare = 0.15
    public static let gcPressureShare = 0.25
    public static let idleCores = 0.1
    public static let minimumSamples = 50
    public static let functionLimit = 20

    /// Several CPU profiles of one process (e.g. one per capture) analysed as one: merged like
    /// `go tool pprof a b` (durations add up). Profiles that cannot be merged (different sample
    /// types) leave the last one analysed alone, with a note.
    public static func analyze(_ profiles: [TimedProfile]) -> CPUReport {
        guard let last = profiles.last else {
            return analyze(TimedProfile(name: "no CPU profile", profile: Profile()))
        }
        guard profiles.count > 1 else { return analyze(last) }
        do {
            let merged = try Profile.merge(profiles.map(\.profile))
            var report = analyze(TimedProfile(name: profiles.map(\.name).joined(separator: " + "), profile: merged,
                                              time: profiles.first?.time))
            report.notes.insert("\(profiles.count) CPU profiles merged", at: 0)
            return report
        } catch {
            var report = analyze(last)
            report.notes.insert("CPU profiles could not be merged (\(error.message)); analysed \(last.name) alone", at: 0)
            return report
        }
    }

    public static func analyze(_ timed: TimedProfile) -> CPUReport {
        let profile = timed.profile
        var notes: [String] = []
        let table = StackFrames(profile)
        let cpuIndex = StackFrames.sampleTypeIndex(profile, ["cpu"])
            ?? profile.sampleTypes.firstIndex { $0.unit == "nanoseconds" }
        let samplesIndex = StackFrames.sampleTypeIndex(profile, ["samples"])
        // Without a time value, count samples × period (legacy profiles with only samples/count).
        let nanosPerSample = profile.periodType?.unit == "nanoseconds" && profile.period > 0 ? Double(profile.period) : 0
        if cpuIndex == nil && (samplesIndex == nil || nanosPerSample == 0) {
            notes.append("\(timed.name): no cpu/nanoseconds sample type (types: "
                         + profile.sampleTypes.map(\.type).joined(separator: ", ") + "); not a CPU profile?")
        }

        var tally = Tally(profile: profile, table: table)
        var total = 0.0, sampleCount = 0.0, negative = 0
        for sample in profile.samples {
            var value = cpuIndex.map { sample.value(at: $0) } ?? (samplesIndex.map { sample.value(at: $0) } ?? 0) * nanosPerSample
            if value < 0 { negative += 1; value = 0 }
            guard value > 0 else { continue }
            total += value
            sampleCount += samplesIndex.map { max(0, sample.value(at: $0)) } ?? 1
            tally.add(sample, value: value)
        }
        if negative > 0 { notes.append("\(negative) samples with negative CPU time ignored (a diff profile?)") }

        let seconds = total / 1e9
        let duration = profile.durationNanos > 0 ? Double(profile.durationNanos) / 1e9 : nil
        let cores = duration.map { seconds / $0 }
        if duration == nil { notes.append("profile duration unknown: cannot say how many cores were busy") }
        if total == 0 { notes.append("\(timed.name): no CPU samples (the process was idle while profiled)") }
        let samples = Int(exactly: sampleCount.rounded()) ?? Int.max

        let hot = tally.hotFunctions(total: total)
        let report = CPUReport(
            name: timed.name, cpuSeconds: seconds, durationSeconds: duration, coresUsed: cores, samples: samples,
            hotFunctions: Array(hot.prefix(functionLimit)), cumulative: Array(tally.cumulative(total: total).prefix(functionLimit)),
            unattributedShare: total > 0 ? tally.unattributed / total : 0, gc: tally.gcShare(total: total),
            findings: [], notes: notes)
        var result = report
        result.findings = Finding.ranked(findings(report, allocation: tally.topAllocator(total: total), source: timed.name))
        return result
    }

    static func findings(_ report: CPUReport, allocation: (site: SourceSite, share: Double)?, source: String) -> [Finding] {
        var findings: [Finding] = []
        let weak = report.samples < minimumSamples
        let idle = report.coresUsed.map { $0 < idleCores } ?? false
        // A nearly idle process has no CPU problem: a "hot spot" there is noise (the CPU section
        // still shows where its little time went).
        guard !idle else { return [] }
        func busy(_ share: Double) -> Double {
            guard let cores = report.coresUsed else { return 0.7 }
            return min(1, 0.3 + 0.7 * share * cores / 0.5)
        }
        func cap(_ severity: Finding.Severity) -> Finding.Severity { weak ? .info : severity }
        let overall = profileText(report)

        for function in report.hotFunctions where function.attributedShare >= hotspotShare {
            let cause = dominantCause(function)
            let weight = cause?.cause == .passwordHash ? 0.5 : 1
            let score = Finding.score(100 * min(1, function.attributedShare / 0.5) * busy(function.attributedShare) * weight)
            var title = "CPU hot spot in \(function.location.short): \(Numbers.percent(function.attributedShare)) of CPU"
            if let cores = report.coresUsed { title += " (\(Numbers.quantity(cores * function.attributedShare)) cores)" }
            if let top = function.callees.first, top.share >= 0.3 {
                title += ", \(Numbers.percent(top.share)) of it in \(top.function)"
            }
            var summary = "\(function.location.function) and what it calls used \(Numbers.quantity(function.attributedSeconds)) s "
                + "(\(Numbers.percent(function.attributedShare))) of \(overall). Its time goes to "
            var parts = function.callees.prefix(4).map { "\($0.function) \(Numbers.percent($0.share))" }
            if function.selfShare > 0 { parts.append("its own code \(Numbers.percent(function.selfShare))") }
            summary += parts.joined(separator: ", ") + "."
            if weak { summary += " Only \(report.samples) samples: shares are rough." }
            var metrics = [Finding.Metric("cpu_seconds", function.attributedSeconds),
                           Finding.Metric("cpu_share", function.attributedShare),
                           Finding.Metric("cumulative_share", function.cumulativeShare),
                           Finding.Metric("self_share", function.selfShare)]
            if let cores = report.coresUsed { metrics.append(Finding.Metric("cores", cores * function.attributedShare)) }
            let hint = cause.map { CPUCategories.hint($0.cause) }
                ?? (function.selfShare >= 0.4
                    ? "The time is in the function's own code, hottest at line \(function.location.line): look at its loops "
                      + "(`leakscope pprof -top -lines -focus '\(regexEscaped(function.location.function))' PROFILE` lists its hot lines), "
                      + "hoist work out of them, and cache results."
                    : "Its time is spread over the calls listed: make fewer of them (batch, cache results) or cheaper ones.")
            findings.append(Finding(kind: .cpuHotspot, severity: cap(.forScore(score)), score: score, title: title,
                                    location: function.location,
                                    evidence: Finding.Evidence(summary: summary, metrics: metrics, stack: function.stack,
                                                               sources: [source]),
                                    hint: hint))
        }

        let gc = report.gc
        if gc.total >= gcPressureShare {
            let score = Finding.score(85 * min(1, gc.total / 0.5) * busy(gc.total))
            var title = "GC and allocation take \(Numbers.percent(gc.total)) of CPU"
            if let allocation { title += "; most allocation CPU is in \(allocation.site.short)" }
            var summary = "Of \(overall): background marking \(Numbers.percent(gc.markWorkers)), assists "
                + "\(Numbers.percent(gc.assists)), sweeping \(Numbers.percent(gc.sweep)), other GC "
                + "\(Numbers.percent(gc.otherGC)), mallocgc \(Numbers.percent(gc.malloc)); scanning objects "
                + "(within those) \(Numbers.percent(gc.scanning))."
            if let allocation {
                summary += " Allocation and assists under \(allocation.site.function) take \(Numbers.percent(allocation.share)) of all CPU."
            }
            let metrics = [Finding.Metric("gc_share", gc.gc), Finding.Metric("malloc_share", gc.malloc),
                           Finding.Metric("mark_worker_share", gc.markWorkers), Finding.Metric("assist_share", gc.assists),
                           Finding.Metric("sweep_share", gc.sweep), Finding.Metric("scanning_share", gc.scanning)]
            findings.append(Finding(
                kind: .gcPressure, severity: cap(.forScore(score)), score: score, title: title, location: allocation?.site,
                evidence: Finding.Evidence(summary: summary, metrics: metrics, sources: [source]),
                hint: CPUCategories.hint(.allocation) + " If memory allows, raise GOGC or set GOMEMLIMIT so the GC runs less often."))
        }
        return findings
    }

    /// `main.(*T).M` as a regular expression matching itself.
    static func regexEscaped(_ name: String) -> String {
        var out = ""
        for c in name {
            if "\\^$.|?*+()[]{}".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// "1.2 s CPU over a 1.5 s profile (0.8 cores busy)".
    static func profileText(_ report: CPUReport) -> String {
        var text = "\(Numbers.quantity(report.cpuSeconds)) s CPU"
        if let duration = report.durationSeconds, let cores = report.coresUsed {
            text += " over a \(Numbers.duration(seconds: duration)) profile (\(Numbers.quantity(cores)) cores busy)"
        }
        return text
    }

    /// The cause behind most of a function's time, when one covers ≥ 25 % of it.
    static func dominantCause(_ function: CPUHotFunction) -> (cause: CPUCategories.Cause, share: Double)? {
        var best: (cause: CPUCategories.Cause, share: Double)?
        for cause in CPUCategories.Cause.allCases where cause.rawValue < function.causeShares.count {
            let share = function.causeShares[cause.rawValue]
            // Earlier causes are more specific (a regexp compile allocates too): they win ties.
            if share >= 0.25 && share > (best?.share ?? 0) + 0.1 { best = (cause, share) }
        }
        return best
    }
}
