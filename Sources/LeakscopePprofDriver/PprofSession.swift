import LeakscopeBytes
import LeakscopeFlame
import LeakscopePprof
import LeakscopePresentation
import LeakscopeProfile

/// Profiles loaded once and reported on many times: what `pprof -http` and `serve` keep in
/// memory between requests. Each report starts from the command line's options with a request's
/// own settings laid over them, exactly as pprof's web UI does (`currentConfig` + `applyURL`).
///
/// The combined profile (sources minus bases, pprof's order) is built once; every report copies
/// it on write only where a filter changes it.
public struct PprofSession: Sendable {
    /// The options the command line set: the starting point of every view.
    public let options: PprofOptions
    /// What the page calls the profile: the source names (`a.pb.gz − base.pb.gz` with a base).
    public let title: String
    /// Whether a base was given, and whether it was `-diff_base` (true) or `-base` (false).
    public let hasBase: Bool
    public let diffBase: Bool
    /// Sources minus bases, merged as `go tool pprof` merges them before any report.
    public let combined: Profile
    /// Sources alone and the merged, un-negated base (for the differential flame graph).
    let sourcesOnly: Profile
    let baseOnly: Profile?

    /// A session over already-parsed profiles. `bases` empty means no comparison.
    public init(sources: [Profile], bases: [Profile] = [], diffBase: Bool = false, options: PprofOptions = PprofOptions(),
                title: String) throws(OneLineError) {
        do {
            let source = try PprofReport.combine(sources: sources, bases: [], diffBase: false, normalize: false)
            var base: Profile? = nil
            if !bases.isEmpty {
                base = try PprofReport.combine(sources: bases, bases: [], diffBase: false, normalize: false)
            }
            self.combined = bases.isEmpty ? source
                : try PprofReport.combine(sources: sources, bases: bases, diffBase: diffBase, normalize: options.normalize)
            self.sourcesOnly = source
            self.baseOnly = base
        } catch let error as OneLineError {
            throw error
        } catch {
            throw OneLineError(String(describing: error))
        }
        self.options = options
        self.title = title
        self.hasBase = !bases.isEmpty
        self.diffBase = diffBase
    }

    /// The sample types a view can switch between (`si=`), in profile order.
    public var sampleTypes: [ValueType] { combined.sampleTypes }

    /// The combined profile filtered for `command` with `options` (focus, sample index, …).
    public func prepare(_ command: PprofCommand, options: PprofOptions) throws(OneLineError) -> PreparedProfile {
        do {
            return try PprofReport.applyOptions(combined, command: command, options: options)
        } catch {
            throw OneLineError(String(describing: error))
        }
    }

    /// A pprof report (`-top`, `-peek RE`, `-proto` …) with `options`: the bytes `go tool pprof`
    /// would print for the same flags.
    public func report(_ command: PprofCommand, options: PprofOptions) throws(OneLineError) -> PprofResult {
        let prepared = try prepare(command, options: options)
        do {
            let bytes = try PprofReport.render(prepared, command: command, options: options)
            return PprofResult(bytes: bytes, warnings: prepared.warnings, combined: nil)
        } catch {
            throw OneLineError(String(describing: error))
        }
    }

    /// The `-top` rows for `options`, as structured values (the same strings `-top` prints).
    public func topTable(options: PprofOptions) throws(OneLineError) -> TopTable {
        let prepared = try prepare(.top, options: options)
        return PprofReport.topTable(prepared, options: options)
    }

    /// The flame graph page for `options`: widths from the sources; with a base, colour from the
    /// change against the base filtered the same way. `header` is markup placed above the chart
    /// (the web UI's menus).
    public func flamePage(options: PprofOptions, header: String = "") throws(OneLineError) -> [UInt8] {
        try flamePage(options: options, header: { _ in header })
    }

    /// `flamePage` with the header made from the combined profile filtered for the page (what
    /// `prepare(.flame, options:)` returns), so a page that shows filter totals above the chart
    /// does not filter the profile twice.
    public func flamePage(options: PprofOptions, header makeHeader: (PreparedProfile) -> String)
        throws(OneLineError) -> [UInt8] {
        do {
            if hasBase && !diffBase {
                // -base is a subtraction: the page shows what is left, grown parts as the new
                // profile and shrunk parts (negative) as the base.
                let prepared = try PprofReport.applyOptions(combined, command: .flame, options: options)
                return FlameGraph.html(prepared.profile, valueIndex: prepared.valueIndex, options: options, title: title,
                                       header: makeHeader(prepared))
            }
            var profile = sourcesOnly
            var basePrepared: PreparedProfile? = nil
            if let baseOnly {
                if options.normalize { try profile.normalize(to: baseOnly) }
                basePrepared = try PprofReport.applyOptions(baseOnly, command: .flame, options: options)
            }
            let prepared = try PprofReport.applyOptions(profile, command: .flame, options: options)
            // Without a base the combined profile is the sources; with -diff_base it is not.
            let header = makeHeader(hasBase ? try PprofReport.applyOptions(combined, command: .flame, options: options)
                                            : prepared)
            return FlameGraph.html(prepared.profile, valueIndex: prepared.valueIndex, base: basePrepared?.profile,
                                   options: options, title: title, header: header)
        } catch let error as OneLineError {
            throw error
        } catch {
            throw OneLineError(String(describing: error))
        }
    }
}

/// Serves a session over HTTP: `pprof -http` hands its profiles to one. The web module provides
/// it (LeakscopeWeb); the driver knows only this protocol.
public protocol PprofWebServing: Sendable {
    /// Serves `session` on `address` (pprof's `-http` value) until interrupted; prints the URL,
    /// and opens a browser unless `openBrowser` is false. Returns the exit status.
    func serve(_ session: PprofSession, address: String, openBrowser: Bool) async -> Int32
}
