import LeakscopeFindings
import LeakscopeFormat
import LeakscopeLifecycle

/// The phrases `leakscope trace` and diagnose's "Goroutine lifecycles" section share, so both name
/// creation sites, end states and totals alike (text and HTML).
enum TraceVocabulary {
    /// `main.handle → main.worker (trace/shapes.go:42)`; for goroutines from before the trace,
    /// `main.worker (existed before the trace)`.
    static func siteName(_ site: LifecycleReport.Site) -> String {
        if site.preExisting { return "\(site.function.isEmpty ? "(no stack)" : site.function) (existed before the trace)" }
        let name = site.function == site.entry ? site.function : "\(site.function) → \(site.entry)"
        return "\(name) (\(SourceSite.shortFile(site.file)):\(site.line))"
    }

    /// `12 waiting chan send in main.worker, oldest 2.1s` (`at least` for goroutines from before the trace).
    static func endState(_ state: LifecycleReport.EndState, preExisting: Bool) -> String {
        let reason = state.reason.isEmpty ? "" : " \(state.reason)"
        let place = state.function.isEmpty ? "" : " in \(state.function)"
        return "\(Numbers.count(state.count)) \(state.state)\(reason)\(place), \(preExisting ? "at least" : "oldest") "
            + "\(Numbers.duration(seconds: state.oldestSeconds))"
    }

    /// `1,234 created, 1,100 ended, 40 alive at the end (12 existed before the trace)`.
    static func totals(_ totals: LifecycleReport.Totals) -> String {
        "\(Numbers.count(totals.created)) created, \(Numbers.count(totals.ended)) ended, "
            + "\(Numbers.count(totals.alive)) alive at the end (\(Numbers.count(totals.preExisting)) existed before the trace)"
    }

    /// A site's median lifetime, or `-` when none of its goroutines ended.
    static func medianLife(_ site: LifecycleReport.Site) -> String {
        site.medianLifetimeSeconds.map { Numbers.duration(seconds: $0) } ?? "-"
    }

    /// `chan receive 12s (1,234 waits)`.
    static func blockTime(_ time: LifecycleReport.BlockTime) -> String {
        "\(time.reason) \(Numbers.duration(seconds: time.seconds)) (\(Numbers.count(time.count)) wait\(time.count == 1 ? "" : "s"))"
    }

    /// `text` padded with spaces to `width`, or followed by one space when it is as wide or wider.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
