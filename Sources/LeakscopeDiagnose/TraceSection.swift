import LeakscopeFindings
import LeakscopeGoSymbols
import LeakscopeLifecycle

/// The report's "Goroutine lifecycles" section for one execution trace: the trace's totals and creation
/// sites exactly as `leakscope trace --format json` reports them (same names, same counts), the time
/// its goroutines spent waiting by reason, its spawn storms and churn, and which snapshot findings the
/// trace confirmed, cleared or strengthened.
public struct DiagnosisTrace: Sendable, Codable {
    /// The trace's file name or URL, as in `inputs`.
    public var name: String
    /// The format version, such as `go1.26`.
    public var traceVersion: String
    /// Seconds from the first to the last event.
    public var windowSeconds: Double
    public var generations: Int
    public var events: Int
    /// `created`, `ended`, `alive`, `preExisting`: as `leakscope trace`'s `goroutines`.
    public var goroutines: LifecycleReport.Totals
    /// Every creation site, as `leakscope trace`'s `sites` (alive at the end first).
    public var sites: [LifecycleReport.Site]
    /// Completed waits of all sites by reason, most time first.
    public var blocked: [LifecycleReport.BlockTime]
    /// The trace's spawn-storm and churn findings (they are among the report's findings too).
    public var patterns: [Pattern]
    /// What the trace did to snapshot findings, one entry per finding it touched.
    public var verdicts: [Verdict]

    /// A spawn storm or churn at one creation site.
    public struct Pattern: Sendable, Codable, Hashable {
        /// `spawn-storm` or `goroutine-churn`.
        public var kind: Finding.Kind
        public var title: String
        /// The creation site's function, file and line (as the site's).
        public var location: SourceSite?
    }

    /// A snapshot finding the trace took up.
    public struct Verdict: Sendable, Codable, Hashable {
        public enum Outcome: String, Sendable, Codable, Hashable {
            /// A creation site's goroutines were created, did not end and wait where the finding points.
            case confirmed
            /// The matched goroutines ended: slow, not stuck (the finding dropped to info).
            case cleared
            /// Goroutines from before the trace waited there through all of it and none ended.
            case held
        }
        public var outcome: Outcome
        /// The finding's `location.function`.
        public var finding: String
        /// The creation sites the verdict rests on (`function`, `entry`, `line` identify a site in `sites`).
        public var sites: [SiteKey]
    }

    /// Identifies one row of `sites`.
    public struct SiteKey: Sendable, Codable, Hashable {
        public var function: String
        public var entry: String
        public var file: String
        public var line: Int
        public var preExisting: Bool

        public init(_ site: LifecycleReport.Site) {
            function = site.function
            entry = site.entry
            file = site.file
            line = site.line
            preExisting = site.preExisting
        }
    }

    /// The section for `report`, read from `name`; `verdicts` come from matching it with the snapshots.
    public init(name: String, report: LifecycleReport, verdicts: [Verdict] = []) {
        self.name = name
        traceVersion = report.traceVersion
        windowSeconds = report.windowSeconds
        generations = report.generations
        events = report.events
        goroutines = report.goroutines
        sites = report.sites
        blocked = Self.blockedByReason(report.sites)
        patterns = report.findings.filter { $0.kind == .spawnStorm || $0.kind == .goroutineChurn }.map {
            Pattern(kind: $0.kind, title: $0.title, location: $0.location)
        }
        self.verdicts = verdicts
    }

    /// `sites` with the application's first (created by or running application code), each group in
    /// `sites`' order: the runtime's own goroutines (GC workers, the trace reader) are rarely the point.
    public var applicationSitesFirst: [LifecycleReport.Site] {
        func isApplication(_ site: LifecycleReport.Site) -> Bool {
            ApplicationCode.isApplication(site.function) || ApplicationCode.isApplication(site.entry)
        }
        return sites.filter(isApplication) + sites.filter { !isApplication($0) }
    }

    /// The verdicts that rest on `site`.
    public func verdicts(for site: LifecycleReport.Site) -> [Verdict] {
        let key = SiteKey(site)
        return verdicts.filter { $0.sites.contains(key) }
    }

    /// Completed waits summed over sites, per reason, most time first.
    static func blockedByReason(_ sites: [LifecycleReport.Site]) -> [LifecycleReport.BlockTime] {
        var totals: [String: (count: Int, seconds: Double)] = [:]
        for site in sites {
            for time in site.blocked {
                totals[time.reason, default: (0, 0)].count += time.count
                totals[time.reason, default: (0, 0)].seconds += time.seconds
            }
        }
        return totals.map { LifecycleReport.BlockTime(reason: $0.key, count: $0.value.count, seconds: $0.value.seconds) }
            .sorted { ($0.seconds, $1.reason) > ($1.seconds, $0.reason) }
    }
}

extension LifecycleReport.Site {
    /// The share of this site's goroutines seen in the trace that ended (for sites created during the
    /// trace, of those created); nil when none were seen.
    public var endedShare: Double? {
        ended + alive > 0 ? Double(ended) / Double(ended + alive) : nil
    }
}
